#pragma once

#include <optional>

#include "collectors/memory/memory_sample.h"
#include "exporter/collector.h"
#include "exporter/host_paths.h"

namespace silicon {

/// Reads memory on this platform (one .cpp per platform).
MemorySample ReadMemorySample(const HostPaths& paths);

/// 0 normal, 1 warning, 2 critical: the kernel's own level where it has one (macOS), else Linux PSI
/// against the thresholds; nullopt when neither is there.
std::optional<int> MemoryPressureLevel(const MemorySample& sample, const MemoryPressureOptions& options);

/// Maps a memory sample to the silicon_memory_* and silicon_swap_* families (pure).
Families MemoryFamilies(const MemorySample& sample, const MemoryPressureOptions& options);

/// Unified memory, swap and memory pressure.
class MemoryCollector : public Collector {
 public:
  MemoryCollector(HostPaths paths, MemoryPressureOptions options)
      : paths_(std::move(paths)), options_(options) {}
  Families Collect() override { return MemoryFamilies(ReadMemorySample(paths_), options_); }

 private:
  HostPaths paths_;
  MemoryPressureOptions options_;
};

}  // namespace silicon
