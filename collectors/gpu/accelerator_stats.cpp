#include "collectors/gpu/accelerator_stats.h"

#include <algorithm>

namespace silicon {

GpuDevice GpuDeviceFromAccelerator(const AcceleratorStats& stats) {
  GpuDevice d;
  d.vendor = "apple";
  d.name = !stats.model.empty() ? stats.model : stats.class_name;
  d.driver = stats.class_name;
  if (stats.gpu_core_count && *stats.gpu_core_count > 0 && *stats.gpu_core_count < 100000) {
    d.cores = static_cast<int>(*stats.gpu_core_count);
  }
  if (stats.device_utilization_percent && *stats.device_utilization_percent >= 0) {
    d.utilization_ratio = static_cast<double>(std::min(100LL, *stats.device_utilization_percent)) / 100.0;
  }
  if (stats.in_use_system_memory && *stats.in_use_system_memory >= 0) {
    d.memory_used_bytes = static_cast<double>(*stats.in_use_system_memory);
  }
  return d;
}

}  // namespace silicon
