#pragma once

#include <memory>
#include <optional>

#include "collectors/memory/memory_pressure_policy.h"
#include "collectors/memory/memory_sample.h"
#include "core/collector.h"
#include "core/host_paths.h"

namespace silicon {

/// Reads memory on this platform (memory_reader_<platform>.cpp), keeping open what it can.
class MemoryReader {
 public:
  explicit MemoryReader(const HostPaths& paths);
  ~MemoryReader();
  MemoryReader(const MemoryReader&) = delete;
  MemoryReader& operator=(const MemoryReader&) = delete;

  MemorySample Read();

 private:
  struct Platform;  // defined by each platform's reader
  std::unique_ptr<Platform> platform_;
};

/// Maps a memory sample to the silicon_memory_* and silicon_swap_* families (pure).
Families MemoryFamilies(const MemorySample& sample, const MemoryPressureOptions& options);

/// Unified memory, swap and memory pressure.
class MemoryCollector : public Collector {
 public:
  MemoryCollector(const HostPaths& paths, MemoryPressureOptions options) : reader_(paths), options_(options) {}
  Families Collect() override { return MemoryFamilies(reader_.Read(), options_); }

 private:
  MemoryReader reader_;
  MemoryPressureOptions options_;
};

}  // namespace silicon
