#pragma once

#include <memory>

#include "collectors/cpu/cpu_sample.h"
#include "core/host_paths.h"

namespace silicon {

/// Reads CPU samples on this platform (cpu_reader_<platform>.cpp). What cannot change while the set
/// of CPUs stays the same (model, core types) is read once and kept, as are open procfs files.
class CpuReader {
 public:
  explicit CpuReader(const HostPaths& paths);
  ~CpuReader();
  CpuReader(const CpuReader&) = delete;
  CpuReader& operator=(const CpuReader&) = delete;

  CpuSample Read();

 private:
  struct Platform;  // defined by each platform's reader
  std::unique_ptr<Platform> platform_;
};

}  // namespace silicon
