#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "collectors/cpu/cpu_sample.h"
#include "exporter/host_paths.h"

namespace silicon {

/// Reads CPU samples on this platform (one .cpp per platform). What cannot change while the set of
/// CPUs stays the same (model, core types, where each CPU's files are) is read once and kept.
class CpuReader {
 public:
  explicit CpuReader(HostPaths paths) : paths_(std::move(paths)) {}
  CpuSample Read();

 private:
  struct Topology {
    std::vector<int> cpus;
    std::map<int, std::string> core_types;
    std::map<int, std::filesystem::path> frequency_files;
    std::string model;
    std::string arch;
  };
  Topology ReadTopology(const std::vector<int>& cpus) const;

  HostPaths paths_;
  std::optional<Topology> topology_;
};

}  // namespace silicon
