#pragma once

#include "collectors/gpu/gpu_sample.h"
#include "core/host_paths.h"

namespace silicon {

/// AMD (amdgpu) and Intel (i915, xe) GPUs from DRM sysfs under --path.sysfs. NVIDIA cards are left
/// to NVML, virtual ones (virtio, QXL) are skipped: they have nothing to report.
class DrmBackend : public GpuBackend {
 public:
  explicit DrmBackend(HostPaths paths) : paths_(std::move(paths)) {}
  const char* Name() const override { return "drm"; }
  std::vector<GpuDevice> Read() override;

 private:
  HostPaths paths_;
};

}  // namespace silicon
