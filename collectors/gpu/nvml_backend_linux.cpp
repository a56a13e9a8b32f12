#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <array>

#include "collectors/gpu/nvml_backend.h"

// The few NVML declarations we use, written from the NVML API reference so the build needs no
// CUDA headers. Layouts and values are those of nvml.h (stable ABI since NVML 10 for these).
namespace {

using nvmlReturn_t = int;
using nvmlDevice_t = struct nvmlDevice_st*;
constexpr nvmlReturn_t kNvmlSuccess = 0;
constexpr unsigned kNvmlTemperatureGpu = 0;
constexpr unsigned kNvmlClockGraphics = 0, kNvmlClockSm = 1, kNvmlClockMem = 2;

struct nvmlUtilization_t {
  unsigned int gpu;
  unsigned int memory;
};
struct nvmlMemory_t {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};
struct nvmlPciInfo_t {
  char busIdLegacy[16];
  unsigned int domain, bus, device, pciDeviceId, pciSubSystemId;
  char busId[32];
};

// nvmlClocksEventReasons (formerly ClocksThrottleReasons) bits, nvml.h.
constexpr std::array<std::pair<unsigned long long, const char*>, 9> kThrottleReasons = {{
    {0x1, "gpu_idle"},
    {0x2, "applications_clocks_setting"},
    {0x4, "sw_power_cap"},
    {0x8, "hw_slowdown"},
    {0x10, "sync_boost"},
    {0x20, "sw_thermal_slowdown"},
    {0x40, "hw_thermal_slowdown"},
    {0x80, "hw_power_brake_slowdown"},
    {0x100, "display_clock_setting"},
}};

}  // namespace

namespace silicon {

struct NvmlBackend::Api {
  void* handle = nullptr;
  nvmlReturn_t (*Init)() = nullptr;
  nvmlReturn_t (*Shutdown)() = nullptr;
  const char* (*ErrorString)(nvmlReturn_t) = nullptr;
  nvmlReturn_t (*SystemGetDriverVersion)(char*, unsigned) = nullptr;
  nvmlReturn_t (*DeviceGetCount)(unsigned*) = nullptr;
  nvmlReturn_t (*DeviceGetHandleByIndex)(unsigned, nvmlDevice_t*) = nullptr;
  nvmlReturn_t (*DeviceGetName)(nvmlDevice_t, char*, unsigned) = nullptr;
  nvmlReturn_t (*DeviceGetUUID)(nvmlDevice_t, char*, unsigned) = nullptr;
  nvmlReturn_t (*DeviceGetPciInfo)(nvmlDevice_t, nvmlPciInfo_t*) = nullptr;
  nvmlReturn_t (*DeviceGetUtilizationRates)(nvmlDevice_t, nvmlUtilization_t*) = nullptr;
  nvmlReturn_t (*DeviceGetMemoryInfo)(nvmlDevice_t, nvmlMemory_t*) = nullptr;
  nvmlReturn_t (*DeviceGetClockInfo)(nvmlDevice_t, unsigned, unsigned*) = nullptr;
  nvmlReturn_t (*DeviceGetPowerUsage)(nvmlDevice_t, unsigned*) = nullptr;
  nvmlReturn_t (*DeviceGetTotalEnergyConsumption)(nvmlDevice_t, unsigned long long*) = nullptr;
  nvmlReturn_t (*DeviceGetTemperature)(nvmlDevice_t, unsigned, unsigned*) = nullptr;
  nvmlReturn_t (*DeviceGetFanSpeed)(nvmlDevice_t, unsigned*) = nullptr;
  nvmlReturn_t (*DeviceGetClocksReasons)(nvmlDevice_t, unsigned long long*) = nullptr;
  std::string driver_version;
  bool initialised = false;

  ~Api() {
    if (initialised && Shutdown) Shutdown();
    if (handle) dlclose(handle);
  }

  template <typename F>
  bool Load(F& function, const char* symbol) {
    function = reinterpret_cast<F>(dlsym(handle, symbol));
    return function != nullptr;
  }
};

NvmlBackend::NvmlBackend(std::string library) : library_(std::move(library)) {}

NvmlBackend::~NvmlBackend() = default;

std::vector<GpuDevice> NvmlBackend::Read() {
  if (!tried_) {
    tried_ = true;
    auto api = std::make_unique<Api>();
    api->handle = dlopen(library_.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!api->handle) {
      spdlog::debug("no NVIDIA GPU support library={} err=\"{}\"", library_, dlerror());
      return {};
    }
    // The _v2/_v3 entry points are those nvml.h maps the plain names to since NVML 5 to 11.
    const bool required = api->Load(api->Init, "nvmlInit_v2") && api->Load(api->Shutdown, "nvmlShutdown") &&
                          api->Load(api->ErrorString, "nvmlErrorString") &&
                          api->Load(api->DeviceGetCount, "nvmlDeviceGetCount_v2") &&
                          api->Load(api->DeviceGetHandleByIndex, "nvmlDeviceGetHandleByIndex_v2");
    if (!required) {
      spdlog::warn("NVML library lacks required functions library={}", library_);
      return {};
    }
    api->Load(api->SystemGetDriverVersion, "nvmlSystemGetDriverVersion");
    api->Load(api->DeviceGetName, "nvmlDeviceGetName");
    api->Load(api->DeviceGetUUID, "nvmlDeviceGetUUID");
    api->Load(api->DeviceGetPciInfo, "nvmlDeviceGetPciInfo_v3");
    api->Load(api->DeviceGetUtilizationRates, "nvmlDeviceGetUtilizationRates");
    api->Load(api->DeviceGetMemoryInfo, "nvmlDeviceGetMemoryInfo");
    api->Load(api->DeviceGetClockInfo, "nvmlDeviceGetClockInfo");
    api->Load(api->DeviceGetPowerUsage, "nvmlDeviceGetPowerUsage");
    api->Load(api->DeviceGetTotalEnergyConsumption, "nvmlDeviceGetTotalEnergyConsumption");
    api->Load(api->DeviceGetTemperature, "nvmlDeviceGetTemperature");
    api->Load(api->DeviceGetFanSpeed, "nvmlDeviceGetFanSpeed");
    // Renamed in NVML 12.2; drivers keep the old name as well.
    if (!api->Load(api->DeviceGetClocksReasons, "nvmlDeviceGetCurrentClocksEventReasons")) {
      api->Load(api->DeviceGetClocksReasons, "nvmlDeviceGetCurrentClocksThrottleReasons");
    }
    if (const auto rc = api->Init(); rc != kNvmlSuccess) {
      spdlog::debug("NVML init failed (no driver?) err=\"{}\"", api->ErrorString(rc));
      return {};
    }
    api->initialised = true;
    char version[96] = {};
    if (api->SystemGetDriverVersion && api->SystemGetDriverVersion(version, sizeof version) == kNvmlSuccess) {
      api->driver_version = version;
    }
    spdlog::info("NVML initialised driver={}", api->driver_version);
    api_ = std::move(api);
  }
  if (!api_) return {};

  Api& nvml = *api_;
  unsigned count = 0;
  if (nvml.DeviceGetCount(&count) != kNvmlSuccess) return {};
  std::vector<GpuDevice> devices;
  for (unsigned i = 0; i < count; ++i) {
    nvmlDevice_t device = nullptr;
    if (nvml.DeviceGetHandleByIndex(i, &device) != kNvmlSuccess) continue;  // e.g. a GPU fallen off the bus
    GpuDevice d;
    d.vendor = "nvidia";
    d.driver = nvml.driver_version;
    // Each call is optional: an unsupported reading (fan on a passively cooled H100) stays empty.
    const auto ok = [](nvmlReturn_t rc) { return rc == kNvmlSuccess; };
    char text[96] = {};
    if (nvml.DeviceGetName && ok(nvml.DeviceGetName(device, text, sizeof text))) d.name = text;
    if (nvml.DeviceGetUUID && ok(nvml.DeviceGetUUID(device, text, sizeof text))) d.uuid = text;
    nvmlPciInfo_t pci{};
    if (nvml.DeviceGetPciInfo && ok(nvml.DeviceGetPciInfo(device, &pci))) d.pci_bus_id = pci.busId;
    nvmlUtilization_t utilization{};
    if (nvml.DeviceGetUtilizationRates && ok(nvml.DeviceGetUtilizationRates(device, &utilization))) {
      d.utilization_ratio = utilization.gpu / 100.0;
    }
    nvmlMemory_t memory{};
    if (nvml.DeviceGetMemoryInfo && ok(nvml.DeviceGetMemoryInfo(device, &memory))) {
      d.memory_used_bytes = static_cast<double>(memory.used);
      d.memory_total_bytes = static_cast<double>(memory.total);
    }
    const std::pair<unsigned, const char*> clocks[] = {
        {kNvmlClockGraphics, "graphics"}, {kNvmlClockSm, "sm"}, {kNvmlClockMem, "memory"}};
    for (const auto& [clock, label] : clocks) {
      unsigned mhz = 0;
      if (nvml.DeviceGetClockInfo && ok(nvml.DeviceGetClockInfo(device, clock, &mhz))) {
        d.frequency_hertz[label] = mhz * 1e6;
      }
    }
    unsigned milliwatts = 0;
    if (nvml.DeviceGetPowerUsage && ok(nvml.DeviceGetPowerUsage(device, &milliwatts))) {
      d.power_watts = milliwatts / 1000.0;
    }
    unsigned long long millijoules = 0;
    if (nvml.DeviceGetTotalEnergyConsumption && ok(nvml.DeviceGetTotalEnergyConsumption(device, &millijoules))) {
      d.energy_joules = static_cast<double>(millijoules) / 1000.0;
    }
    unsigned celsius = 0;
    if (nvml.DeviceGetTemperature && ok(nvml.DeviceGetTemperature(device, kNvmlTemperatureGpu, &celsius))) {
      d.temperature_celsius = celsius;
    }
    unsigned fan_percent = 0;
    if (nvml.DeviceGetFanSpeed && ok(nvml.DeviceGetFanSpeed(device, &fan_percent))) {
      d.fan_speed_ratio = fan_percent / 100.0;
    }
    unsigned long long reasons = 0;
    if (nvml.DeviceGetClocksReasons && ok(nvml.DeviceGetClocksReasons(device, &reasons))) {
      for (const auto& [bit, name] : kThrottleReasons) d.throttle_reasons[name] = (reasons & bit) != 0;
    }
    devices.push_back(std::move(d));
  }
  return devices;
}

}  // namespace silicon
