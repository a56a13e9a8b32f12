#pragma once

#include <optional>
#include <string>

#include "collectors/gpu/gpu_sample.h"

namespace silicon {

/// What the macOS reader copies out of one IOAccelerator service: its PerformanceStatistics keys
/// (every one optional: they differ between chips and macOS versions) and gpu-core-count.
struct AcceleratorStats {
  std::string model;       // the service's "model" property, e.g. "Apple M3 Max"; may be empty
  std::string class_name;  // e.g. "AGXAcceleratorG15X"
  std::optional<long long> gpu_core_count;
  std::optional<long long> device_utilization_percent;  // "Device Utilization %"
  std::optional<long long> in_use_system_memory;        // "In use system memory", bytes
  std::optional<long long> alloc_system_memory;         // "Alloc system memory", bytes
};

/// The shared GPU reading for an Apple GPU. Memory is unified: "in use" is what the GPU holds now;
/// there is no separate GPU memory total, so that series stays absent.
GpuDevice GpuDeviceFromAccelerator(const AcceleratorStats& stats);

}  // namespace silicon
