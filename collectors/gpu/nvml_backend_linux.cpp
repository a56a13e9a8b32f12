#include <dlfcn.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "collectors/gpu/nvml_backend.h"
#include "core/log.h"

// The few NVML declarations we use, written from the NVML API reference so the build needs no
// CUDA headers. Layouts and values are those of nvml.h (stable ABI since NVML 10 for these).
namespace {

using nvmlReturn_t = int;
using nvmlDevice_t = struct nvmlDevice_st*;
constexpr nvmlReturn_t kNvmlSuccess = 0;
constexpr nvmlReturn_t kNvmlErrorNotSupported = 3;
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
// nvmlMemory_v2_t: "used" here excludes the driver's reserved memory, as nvidia-smi reports it.
struct nvmlMemory_v2_t {
  unsigned int version;
  unsigned long long total;
  unsigned long long reserved;
  unsigned long long free;
  unsigned long long used;
};
// NVML_STRUCT_VERSION(Memory, 2): the struct size with the version number in the top byte.
constexpr unsigned int kNvmlMemoryV2 = static_cast<unsigned int>(sizeof(nvmlMemory_v2_t)) | (2U << 24U);
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
  nvmlReturn_t (*DeviceGetMemoryInfoV2)(nvmlDevice_t, nvmlMemory_v2_t*) = nullptr;
  nvmlReturn_t (*DeviceGetClockInfo)(nvmlDevice_t, unsigned, unsigned*) = nullptr;
  nvmlReturn_t (*DeviceGetPowerUsage)(nvmlDevice_t, unsigned*) = nullptr;
  nvmlReturn_t (*DeviceGetTotalEnergyConsumption)(nvmlDevice_t, unsigned long long*) = nullptr;
  nvmlReturn_t (*DeviceGetTemperature)(nvmlDevice_t, unsigned, unsigned*) = nullptr;
  nvmlReturn_t (*DeviceGetFanSpeed)(nvmlDevice_t, unsigned*) = nullptr;
  nvmlReturn_t (*DeviceGetClocksReasons)(nvmlDevice_t, unsigned long long*) = nullptr;
  std::string driver_version;
  bool initialised = false;
  std::set<std::pair<unsigned, int>> unsupported;  // (device, reading) the GPU said it lacks

  // nvmlDeviceGetTotalEnergyConsumption takes 3 ms (p99 17 ms) on an H100 with driver 580, more
  // than all other readings together (tests/gpu/nvml_call_cost.py), so a thread reads it once a
  // second and scrapes serve the latest value: the counter is at most about a second old.
  std::mutex energy_mutex;
  std::condition_variable energy_wake;
  std::vector<std::optional<double>> energy_joules;  // by device index
  bool energy_stop = false;
  std::thread energy_thread;

  ~Api() {
    if (energy_thread.joinable()) {
      {
        const std::lock_guard lock(energy_mutex);
        energy_stop = true;
      }
      energy_wake.notify_all();
      energy_thread.join();
    }
    if (initialised && Shutdown) Shutdown();
    if (handle) dlclose(handle);
  }

  void PollEnergyOnce() {
    unsigned count = 0;
    if (DeviceGetCount(&count) != kNvmlSuccess) return;
    std::vector<std::optional<double>> readings(count);
    for (unsigned i = 0; i < count; ++i) {
      nvmlDevice_t device = nullptr;
      unsigned long long millijoules = 0;
      if (DeviceGetHandleByIndex(i, &device) == kNvmlSuccess &&
          DeviceGetTotalEnergyConsumption(device, &millijoules) == kNvmlSuccess) {
        readings[i] = static_cast<double>(millijoules) / 1000.0;
      }
    }
    const std::lock_guard lock(energy_mutex);
    energy_joules = std::move(readings);
  }

  void StartEnergyPolling() {
    if (!DeviceGetTotalEnergyConsumption) return;
    PollEnergyOnce();  // the first scrape has a value too
    energy_thread = std::thread([this] {
      std::unique_lock lock(energy_mutex);
      while (!energy_wake.wait_for(lock, std::chrono::seconds(1), [this] { return energy_stop; })) {
        lock.unlock();
        PollEnergyOnce();
        lock.lock();
      }
    });
  }

  std::optional<double> LatestEnergy(unsigned device) {
    const std::lock_guard lock(energy_mutex);
    return device < energy_joules.size() ? energy_joules[device] : std::nullopt;
  }

  // Calls read(), unless this device already answered NOT_SUPPORTED for this reading (a fan on a
  // passively cooled H100 costs 0.14 ms to be told so on every scrape).
  template <typename Call>
  bool Supported(unsigned device, int reading, Call read) {
    if (unsupported.count({device, reading})) return false;
    const nvmlReturn_t rc = read();
    if (rc == kNvmlErrorNotSupported) unsupported.insert({device, reading});
    return rc == kNvmlSuccess;
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
      log::Debug("no NVIDIA GPU support", {{"library", library_}, {"err", dlerror()}});
      return {};
    }
    // The _v2/_v3 entry points are those nvml.h maps the plain names to since NVML 5 to 11.
    const bool required = api->Load(api->Init, "nvmlInit_v2") && api->Load(api->Shutdown, "nvmlShutdown") &&
                          api->Load(api->ErrorString, "nvmlErrorString") &&
                          api->Load(api->DeviceGetCount, "nvmlDeviceGetCount_v2") &&
                          api->Load(api->DeviceGetHandleByIndex, "nvmlDeviceGetHandleByIndex_v2");
    if (!required) {
      log::Warn("NVML library lacks required functions", {{"library", library_}});
      return {};
    }
    api->Load(api->SystemGetDriverVersion, "nvmlSystemGetDriverVersion");
    api->Load(api->DeviceGetName, "nvmlDeviceGetName");
    api->Load(api->DeviceGetUUID, "nvmlDeviceGetUUID");
    api->Load(api->DeviceGetPciInfo, "nvmlDeviceGetPciInfo_v3");
    api->Load(api->DeviceGetUtilizationRates, "nvmlDeviceGetUtilizationRates");
    api->Load(api->DeviceGetMemoryInfo, "nvmlDeviceGetMemoryInfo");
    api->Load(api->DeviceGetMemoryInfoV2, "nvmlDeviceGetMemoryInfo_v2");  // driver 510+
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
      log::Debug("NVML init failed (no driver?)", {{"err", api->ErrorString(rc)}});
      return {};
    }
    api->initialised = true;
    char version[96] = {};
    if (api->SystemGetDriverVersion && api->SystemGetDriverVersion(version, sizeof version) == kNvmlSuccess) {
      api->driver_version = version;
    }
    log::Info("NVML initialised", {{"driver", api->driver_version}});
    api->StartEnergyPolling();
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
    nvmlMemory_v2_t memory_v2{};
    memory_v2.version = kNvmlMemoryV2;
    nvmlMemory_t memory{};
    if (nvml.DeviceGetMemoryInfoV2 && ok(nvml.DeviceGetMemoryInfoV2(device, &memory_v2))) {
      d.memory_used_bytes = static_cast<double>(memory_v2.used);
      d.memory_total_bytes = static_cast<double>(memory_v2.total);
    } else if (nvml.DeviceGetMemoryInfo && ok(nvml.DeviceGetMemoryInfo(device, &memory))) {
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
    d.energy_joules = nvml.LatestEnergy(i);
    unsigned celsius = 0;
    if (nvml.DeviceGetTemperature && ok(nvml.DeviceGetTemperature(device, kNvmlTemperatureGpu, &celsius))) {
      d.temperature_celsius = celsius;
    }
    unsigned fan_percent = 0;
    if (nvml.DeviceGetFanSpeed && nvml.Supported(i, 0, [&] { return nvml.DeviceGetFanSpeed(device, &fan_percent); })) {
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
