#pragma once

#include "core/collector.h"
#include "collectors/cpu/cpu_reader.h"
#include "collectors/cpu/cpu_sample.h"
#include "core/host_paths.h"

namespace silicon {

/// Maps a CPU sample to the silicon_cpu_* and silicon_load* families (pure, tested on any platform).
Families CpuFamilies(const CpuSample& sample);

/// Per-core CPU time by core type, frequency, model and load average.
class CpuCollector : public Collector {
 public:
  explicit CpuCollector(const HostPaths& paths) : reader_(paths) {}
  Families Collect() override;

 private:
  CpuReader reader_;
};

}  // namespace silicon
