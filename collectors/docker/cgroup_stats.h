#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/kept_open_file.h"
#include "collectors/docker/docker_sample.h"
#include "core/host_paths.h"

namespace silicon {

/// Interfaces of a container's /proc/<pid>/net/dev, loopback left out (traffic that never leaves
/// the container).
std::vector<NetDevCounters> ParseContainerNetDev(std::string_view text);

/// The value of "key value" in memory.stat, cpu.stat, memory.events and the like.
std::optional<double> ParseKeyedValue(std::string_view text, std::string_view key);

/// Bytes read and written: cgroup v1 blkio.throttle.io_service_bytes ("8:0 Read 4096"), summed over devices.
std::pair<std::optional<double>, std::optional<double>> ParseBlkioServiceBytes(std::string_view text);

/// Bytes read and written: cgroup v2 io.stat ("8:0 rbytes=4096 wbytes=0 ..."), summed over devices.
std::pair<std::optional<double>, std::optional<double>> ParseIoStat(std::string_view text);

/// A memory limit: "max" (v2) or a page-rounded LONG_MAX (v1) mean unlimited, nullopt.
std::optional<double> ParseMemoryLimit(std::string_view text);

/// Where a container's cgroup lives: the hierarchy root and the path under it (under every
/// controller's folder for cgroup v1).
struct CgroupLocation {
  bool unified = false;  // cgroup v2
  std::filesystem::path root;
  std::filesystem::path relative;
};

/// Looks for a container's cgroup under --path.sysfs (v1 or v2, cgroupfs or systemd driver);
/// nullopt when this host cannot see it (Docker Desktop, a remote daemon) or the id is malformed.
std::optional<CgroupLocation> FindContainerCgroup(const HostPaths& paths, const std::string& container_id);

/// One container's stats from its cgroup files, plus network counters through
/// --path.procfs/<pid>/net/dev of a process inside. With keep_open, the cgroup files stay open
/// between reads (8 descriptors per container) and are re-read with pread: the path walks, opens
/// and closes were two thirds of a 100-container scrape.
class CgroupStatsReader {
 public:
  CgroupStatsReader(HostPaths paths, const CgroupLocation& location, bool keep_open);
  ContainerStats Read();
  bool keeps_open() const { return keep_open_; }

  /// Descriptors one reader keeps open with keep_open.
  static constexpr int kKeptDescriptors = 8;

 private:
  std::optional<std::string> Text(std::size_t file);
  std::vector<NetDevCounters> Network();

  HostPaths paths_;
  bool unified_;
  bool keep_open_;
  std::vector<KeptOpenFile> files_;
};

/// Finds a container's cgroup under --path.sysfs (v1 or v2, cgroupfs or systemd driver) and reads
/// its stats there, plus network counters through --path.procfs/<pid>/net/dev of a process inside.
/// nullopt when this host cannot see the container's cgroup (Docker Desktop, a remote daemon).
std::optional<ContainerStats> ReadCgroupStats(const HostPaths& paths, const std::string& container_id);

}  // namespace silicon
