#include "collectors/gpu/drm_backend.h"
#include "collectors/gpu/gpu_collector.h"
#include "collectors/gpu/nvml_backend.h"

namespace silicon {

std::vector<std::unique_ptr<GpuBackend>> MakeGpuBackends(const HostPaths& paths) {
  std::vector<std::unique_ptr<GpuBackend>> backends;
  backends.push_back(std::make_unique<NvmlBackend>());
  backends.push_back(std::make_unique<DrmBackend>(paths));
  return backends;
}

}  // namespace silicon
