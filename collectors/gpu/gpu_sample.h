#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace silicon {

/// One GPU as a backend sees it; every reading optional: a backend fills only what it really has.
struct GpuDevice {
  std::string vendor;  // "nvidia", "amd", "intel", "apple"
  std::string name;
  std::string uuid;
  std::string driver;
  std::string pci_bus_id;
  std::optional<int> cores;  // Apple: gpu-core-count
  std::optional<double> utilization_ratio;
  std::optional<double> memory_used_bytes;
  std::optional<double> memory_total_bytes;
  std::map<std::string, double> frequency_hertz;  // by clock: "graphics", "sm", "memory"
  std::optional<double> power_watts;
  std::optional<double> energy_joules;  // since the driver loaded
  std::optional<double> temperature_celsius;
  std::optional<double> fan_speed_ratio;
  std::map<std::string, bool> throttle_reasons;  // NVIDIA: reason -> active now
};

/// A source of GPU readings: NVML, DRM sysfs, IOKit. Finding no driver or no device is an empty
/// list, not an error.
class GpuBackend {
 public:
  virtual ~GpuBackend() = default;
  virtual const char* Name() const = 0;
  virtual std::vector<GpuDevice> Read() = 0;
};

}  // namespace silicon
