#pragma once

#include <memory>
#include <string>

#include "collectors/gpu/gpu_sample.h"

namespace silicon {

/// NVIDIA GPUs through NVML, loaded with dlopen at the first read (no build-time CUDA). NVML is
/// initialised at most once per backend; without the library, the driver or a device it reads
/// as no GPUs, never as an error.
class NvmlBackend : public GpuBackend {
 public:
  explicit NvmlBackend(std::string library = "libnvidia-ml.so.1");
  ~NvmlBackend() override;
  const char* Name() const override { return "nvml"; }
  std::vector<GpuDevice> Read() override;

 private:
  struct Api;  // the dlopen'ed functions
  std::string library_;
  std::unique_ptr<Api> api_;
  bool tried_ = false;  // NVML init happens once, successful or not
};

}  // namespace silicon
