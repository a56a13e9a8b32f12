#pragma once

#include "collectors/cpu/cpu_sample.h"
#include "exporter/host_paths.h"

namespace silicon {

/// Reads per-core times, core types, frequencies, model and load; one file per platform.
CpuSample ReadCpuSample(const HostPaths& paths);

}  // namespace silicon
