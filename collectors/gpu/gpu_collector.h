#pragma once

#include <memory>
#include <vector>

#include "collectors/gpu/gpu_sample.h"
#include "core/collector.h"
#include "core/host_paths.h"

namespace silicon {

/// The backends this platform has, in the order their GPUs are numbered (gpu_backends_<platform>.cpp).
std::vector<std::unique_ptr<GpuBackend>> MakeGpuBackends(const HostPaths& paths);

/// Maps devices to the silicon_gpu_* families (pure); label gpu is the position in the list.
Families GpuFamilies(const std::vector<GpuDevice>& devices);

/// Every GPU of every backend; a backend that fails is logged and skipped while others report.
class GpuCollector : public Collector {
 public:
  explicit GpuCollector(std::vector<std::unique_ptr<GpuBackend>> backends) : backends_(std::move(backends)) {}
  /// Every backend this platform has (MakeGpuBackends).
  explicit GpuCollector(const HostPaths& paths) : GpuCollector(MakeGpuBackends(paths)) {}
  Families Collect() override;

 private:
  std::vector<std::unique_ptr<GpuBackend>> backends_;
};

}  // namespace silicon
