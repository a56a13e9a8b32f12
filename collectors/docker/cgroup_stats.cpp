#include "collectors/docker/cgroup_stats.h"

#include <filesystem>

#include "collectors/common/text_file.h"

namespace silicon {
namespace {

namespace fs = std::filesystem;

// v1 reports "unlimited" as LONG_MAX rounded down to a page: anything this large is no limit.
constexpr double kUnlimitedAbove = 1e18;

std::optional<std::string> ReadSmall(const fs::path& path) { return ReadTextFile(path, 64 * 1024); }

// The first process of a cgroup: its /proc/<pid>/net/dev shows the container's network namespace.
std::vector<NetDevCounters> NetworkOf(const HostPaths& paths, const fs::path& procs_file) {
  const auto procs = ReadSmall(procs_file);
  if (!procs) return {};
  for (const auto line : SplitLines(*procs)) {
    const auto pid = ParseInteger(line);
    if (!pid || *pid <= 0) continue;
    if (const auto dev = ReadSmall(paths.procfs / std::to_string(*pid) / "net/dev")) return ParseNetDev(*dev);
  }
  return {};
}

void SetWorkingSet(ContainerStats& stats, std::optional<double> inactive_file) {
  if (!stats.memory_usage_bytes) return;
  const double inactive = inactive_file.value_or(0);
  stats.memory_working_set_bytes = *stats.memory_usage_bytes > inactive ? *stats.memory_usage_bytes - inactive : 0;
}

ContainerStats ReadV2(const HostPaths& paths, const fs::path& dir) {
  ContainerStats stats;
  if (const auto cpu = ReadSmall(dir / "cpu.stat")) {
    if (const auto usec = ParseKeyedValue(*cpu, "usage_usec")) stats.cpu_seconds = *usec / 1e6;
  }
  stats.memory_usage_bytes = ReadNonNegative(dir / "memory.current");
  if (const auto max = ReadSmall(dir / "memory.max")) stats.memory_limit_bytes = ParseMemoryLimit(*max);
  const auto memory_stat = ReadSmall(dir / "memory.stat");
  SetWorkingSet(stats, memory_stat ? ParseKeyedValue(*memory_stat, "inactive_file") : std::nullopt);
  if (const auto events = ReadSmall(dir / "memory.events")) stats.oom_kills = ParseKeyedValue(*events, "oom_kill");
  stats.pids = ReadNonNegative(dir / "pids.current");
  // A readable file without lines for a device means nothing was read or written yet: 0, not unknown.
  if (const auto io = ReadSmall(dir / "io.stat")) {
    const auto [read, write] = ParseIoStat(*io);
    stats.blkio_read_bytes = read.value_or(0);
    stats.blkio_write_bytes = write.value_or(0);
  }
  stats.network = NetworkOf(paths, dir / "cgroup.procs");
  return stats;
}

ContainerStats ReadV1(const HostPaths& paths, const fs::path& root, const fs::path& relative) {
  ContainerStats stats;
  const auto memory = root / "memory" / relative;
  stats.cpu_seconds = ReadNonNegative(root / "cpuacct" / relative / "cpuacct.usage");
  if (stats.cpu_seconds) *stats.cpu_seconds /= 1e9;  // nanoseconds
  stats.memory_usage_bytes = ReadNonNegative(memory / "memory.usage_in_bytes");
  if (const auto limit = ReadSmall(memory / "memory.limit_in_bytes")) stats.memory_limit_bytes = ParseMemoryLimit(*limit);
  const auto memory_stat = ReadSmall(memory / "memory.stat");
  SetWorkingSet(stats, memory_stat ? ParseKeyedValue(*memory_stat, "total_inactive_file") : std::nullopt);
  // "oom_kill N" appears in memory.oom_control from Linux 4.13 on.
  if (const auto oom = ReadSmall(memory / "memory.oom_control")) stats.oom_kills = ParseKeyedValue(*oom, "oom_kill");
  stats.pids = ReadNonNegative(root / "pids" / relative / "pids.current");
  if (const auto io = ReadSmall(root / "blkio" / relative / "blkio.throttle.io_service_bytes")) {
    const auto [read, write] = ParseBlkioServiceBytes(*io);
    stats.blkio_read_bytes = read.value_or(0);
    stats.blkio_write_bytes = write.value_or(0);
  }
  stats.network = NetworkOf(paths, memory / "cgroup.procs");
  return stats;
}

bool IsContainerId(const std::string& id) {
  if (id.size() != 64) return false;
  for (const char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::vector<NetDevCounters> ParseNetDev(std::string_view text) {
  std::vector<NetDevCounters> interfaces;
  for (const auto line : SplitLines(text)) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const auto name = TrimSpace(line.substr(0, colon));
    const auto fields = SplitFields(line.substr(colon + 1));
    if (name.empty() || name == "lo" || fields.size() < 16) continue;
    double values[16];
    bool ok = true;
    for (std::size_t i = 0; i < 16 && ok; ++i) {
      const auto value = ParseInteger(fields[i]);
      ok = value && *value >= 0;
      if (ok) values[i] = static_cast<double>(*value);
    }
    if (!ok) continue;
    // proc(5): receive bytes packets errs drop fifo frame compressed multicast, then transmit.
    interfaces.push_back({std::string(name), values[0], values[1], values[2], values[3], values[8], values[9],
                          values[10], values[11]});
  }
  return interfaces;
}

std::optional<double> ParseKeyedValue(std::string_view text, std::string_view key) {
  // memory.stat has ~40 lines and is read for every container on every scrape: scan, don't split.
  std::size_t at = 0;
  while ((at = text.find(key, at)) != std::string_view::npos) {
    const bool line_start = at == 0 || text[at - 1] == '\n';
    const std::size_t after = at + key.size();
    if (line_start && after < text.size() && text[after] == ' ') {
      const auto end = text.find('\n', after);
      const auto value = ParseInteger(text.substr(after + 1, end == std::string_view::npos ? end : end - after - 1));
      if (!value || *value < 0) return std::nullopt;
      return static_cast<double>(*value);
    }
    at = after;
  }
  return std::nullopt;
}

std::pair<std::optional<double>, std::optional<double>> ParseBlkioServiceBytes(std::string_view text) {
  std::optional<double> read, write;
  for (const auto line : SplitLines(text)) {
    const auto fields = SplitFields(line);
    if (fields.size() != 3) continue;  // the last "Total N" line has two fields
    const auto value = ParseInteger(fields[2]);
    if (!value || *value < 0) continue;
    if (fields[1] == "Read") read = read.value_or(0) + static_cast<double>(*value);
    if (fields[1] == "Write") write = write.value_or(0) + static_cast<double>(*value);
  }
  return {read, write};
}

std::pair<std::optional<double>, std::optional<double>> ParseIoStat(std::string_view text) {
  std::optional<double> read, write;
  for (const auto line : SplitLines(text)) {
    const auto fields = SplitFields(line);
    for (std::size_t i = 1; i < fields.size(); ++i) {
      const auto field = fields[i];
      const auto equals = field.find('=');
      if (equals == std::string_view::npos) continue;
      const auto value = ParseInteger(field.substr(equals + 1));
      if (!value || *value < 0) continue;
      if (field.substr(0, equals) == "rbytes") read = read.value_or(0) + static_cast<double>(*value);
      if (field.substr(0, equals) == "wbytes") write = write.value_or(0) + static_cast<double>(*value);
    }
  }
  return {read, write};
}

std::optional<double> ParseMemoryLimit(std::string_view text) {
  const auto value = ParseInteger(text);
  if (!value || *value <= 0 || static_cast<double>(*value) > kUnlimitedAbove) return std::nullopt;
  return static_cast<double>(*value);
}

std::optional<CgroupLocation> FindContainerCgroup(const HostPaths& paths, const std::string& container_id) {
  if (!IsContainerId(container_id)) return std::nullopt;  // it becomes part of a path
  const auto root = paths.sysfs / "fs/cgroup";
  std::error_code error;
  // Where the engine puts a container: cgroupfs driver "docker/<id>", systemd driver
  // "system.slice/docker-<id>.scope" (Docker's own defaults for both).
  const fs::path candidates[] = {fs::path("docker") / container_id,
                                 fs::path("system.slice") / ("docker-" + container_id + ".scope")};
  const bool unified = fs::exists(root / "cgroup.controllers", error);
  for (const auto& relative : candidates) {
    if (fs::is_directory(unified ? root / relative : root / "memory" / relative, error)) {
      return CgroupLocation{unified, root, relative};
    }
  }
  return std::nullopt;
}

ContainerStats ReadCgroupStats(const HostPaths& paths, const CgroupLocation& location) {
  return location.unified ? ReadV2(paths, location.root / location.relative)
                          : ReadV1(paths, location.root, location.relative);
}

std::optional<ContainerStats> ReadCgroupStats(const HostPaths& paths, const std::string& container_id) {
  const auto location = FindContainerCgroup(paths, container_id);
  if (!location) return std::nullopt;
  return ReadCgroupStats(paths, *location);
}

}  // namespace silicon
