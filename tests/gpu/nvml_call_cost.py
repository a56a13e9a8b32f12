#!/usr/bin/env python3
"""Times each NVML call the exporter makes (ctypes, 200 calls each) to find what a scrape pays for.

usage: tests/gpu/nvml_call_cost.py  (on a machine with an NVIDIA driver)"""
import ctypes
import time

nvml = ctypes.CDLL("libnvidia-ml.so.1")
assert nvml.nvmlInit_v2() == 0
dev = ctypes.c_void_p()
assert nvml.nvmlDeviceGetHandleByIndex_v2(0, ctypes.byref(dev)) == 0
u = ctypes.c_uint()
ull = ctypes.c_ulonglong()
buf = ctypes.create_string_buffer(96)
big = ctypes.create_string_buffer(128)
mem2 = ctypes.create_string_buffer(40)
ctypes.memmove(mem2, (40 | (2 << 24)).to_bytes(4, "little"), 4)
calls = {
    "GetName": lambda: nvml.nvmlDeviceGetName(dev, buf, 96),
    "GetUUID": lambda: nvml.nvmlDeviceGetUUID(dev, buf, 96),
    "GetPciInfo_v3": lambda: nvml.nvmlDeviceGetPciInfo_v3(dev, big),
    "GetUtilizationRates": lambda: nvml.nvmlDeviceGetUtilizationRates(dev, big),
    "GetMemoryInfo_v2": lambda: nvml.nvmlDeviceGetMemoryInfo_v2(dev, mem2),
    "GetClockInfo(graphics)": lambda: nvml.nvmlDeviceGetClockInfo(dev, 0, ctypes.byref(u)),
    "GetClockInfo(sm)": lambda: nvml.nvmlDeviceGetClockInfo(dev, 1, ctypes.byref(u)),
    "GetClockInfo(mem)": lambda: nvml.nvmlDeviceGetClockInfo(dev, 2, ctypes.byref(u)),
    "GetPowerUsage": lambda: nvml.nvmlDeviceGetPowerUsage(dev, ctypes.byref(u)),
    "GetTotalEnergyConsumption": lambda: nvml.nvmlDeviceGetTotalEnergyConsumption(dev, ctypes.byref(ull)),
    "GetTemperature": lambda: nvml.nvmlDeviceGetTemperature(dev, 0, ctypes.byref(u)),
    "GetFanSpeed": lambda: nvml.nvmlDeviceGetFanSpeed(dev, ctypes.byref(u)),
    "GetCurrentClocksEventReasons": lambda: nvml.nvmlDeviceGetCurrentClocksEventReasons(dev, ctypes.byref(ull)),
    "GetCount_v2": lambda: nvml.nvmlDeviceGetCount_v2(ctypes.byref(u)),
    "GetHandleByIndex_v2": lambda: nvml.nvmlDeviceGetHandleByIndex_v2(0, ctypes.byref(dev)),
}
for name, call in calls.items():
    times = []
    for _ in range(200):
        t = time.perf_counter()
        rc = call()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"{name:30s} rc={rc:<3d} p50 {times[100]:.3f} ms  p99 {times[198]:.3f} ms")
