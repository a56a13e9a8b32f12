#include "collectors/docker/cgroup_stats.h"

#include <filesystem>

#include "core/kept_open_file.h"
#include "core/text_file.h"

namespace silicon {
namespace {

namespace fs = std::filesystem;

// v1 reports "unlimited" as LONG_MAX rounded down to a page: anything this large is no limit.
constexpr double kUnlimitedAbove = 1e18;

constexpr std::size_t kMaxCgroupFileBytes = 64 * 1024;

void SetWorkingSet(ContainerStats& stats, std::optional<double> inactive_file) {
  if (!stats.memory_usage_bytes) return;
  const double inactive = inactive_file.value_or(0);
  stats.memory_working_set_bytes = *stats.memory_usage_bytes > inactive ? *stats.memory_usage_bytes - inactive : 0;
}

bool IsContainerId(const std::string& id) {
  if (id.size() != 64) return false;
  for (const char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::vector<NetDevCounters> ParseContainerNetDev(std::string_view text) {
  auto interfaces = ParseNetDev(text);
  std::erase_if(interfaces, [](const NetDevCounters& counters) { return counters.interface == "lo"; });
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

namespace {

// Where each stat lives, in CgroupStatsReader::files_ order.
enum File { kCpu, kMemoryUsage, kMemoryLimit, kMemoryStat, kOom, kPids, kIo, kProcs, kFileCount };
static_assert(kFileCount == CgroupStatsReader::kKeptDescriptors, "one kept descriptor per file");

std::vector<fs::path> StatFiles(const CgroupLocation& at) {
  if (at.unified) {
    const auto dir = at.root / at.relative;
    return {dir / "cpu.stat",     dir / "memory.current", dir / "memory.max",  dir / "memory.stat",
            dir / "memory.events", dir / "pids.current",  dir / "io.stat",     dir / "cgroup.procs"};
  }
  const auto memory = at.root / "memory" / at.relative;
  return {at.root / "cpuacct" / at.relative / "cpuacct.usage",
          memory / "memory.usage_in_bytes",
          memory / "memory.limit_in_bytes",
          memory / "memory.stat",
          memory / "memory.oom_control",  // "oom_kill N" from Linux 4.13 on
          at.root / "pids" / at.relative / "pids.current",
          at.root / "blkio" / at.relative / "blkio.throttle.io_service_bytes",
          memory / "cgroup.procs"};
}

}  // namespace

CgroupStatsReader::CgroupStatsReader(HostPaths paths, const CgroupLocation& location, bool keep_open)
    : paths_(std::move(paths)), unified_(location.unified), keep_open_(keep_open) {
  for (auto& path : StatFiles(location)) files_.emplace_back(std::move(path), ReadEnd::kAtEof, keep_open);  // cgroup.procs can be long
}

std::optional<std::string> CgroupStatsReader::Text(std::size_t file) { return files_[file].Read(kMaxCgroupFileBytes); }

ContainerStats CgroupStatsReader::Read() {
  ContainerStats stats;
  if (unified_) {
    if (const auto cpu = Text(kCpu)) {
      if (const auto usec = ParseKeyedValue(*cpu, "usage_usec")) stats.cpu_seconds = *usec / 1e6;
    }
  } else {
    if (const auto usage = Text(kCpu)) stats.cpu_seconds = ParseNonNegative(*usage, 1e-9);  // nanoseconds
  }
  if (const auto usage = Text(kMemoryUsage)) stats.memory_usage_bytes = ParseNonNegative(*usage);
  if (const auto limit = Text(kMemoryLimit)) stats.memory_limit_bytes = ParseMemoryLimit(*limit);
  const auto memory_stat = Text(kMemoryStat);
  const char* inactive_key = unified_ ? "inactive_file" : "total_inactive_file";
  SetWorkingSet(stats, memory_stat ? ParseKeyedValue(*memory_stat, inactive_key) : std::nullopt);
  if (const auto oom = Text(kOom)) stats.oom_kills = ParseKeyedValue(*oom, "oom_kill");
  if (const auto pids = Text(kPids)) stats.pids = ParseNonNegative(*pids);
  // A readable file without lines for a device means nothing was read or written yet: 0, not unknown.
  if (const auto io = Text(kIo)) {
    const auto [read, write] = unified_ ? ParseIoStat(*io) : ParseBlkioServiceBytes(*io);
    stats.blkio_read_bytes = read.value_or(0);
    stats.blkio_write_bytes = write.value_or(0);
  }
  stats.network = Network();
  return stats;
}

// The first process of the cgroup: its /proc/<pid>/net/dev shows the container's network
// namespace. Opened afresh each time: a kept descriptor would pin the namespace of a process that
// may be gone (a restarted container gets a new one).
std::vector<NetDevCounters> CgroupStatsReader::Network() {
  const auto procs = Text(kProcs);
  if (!procs) return {};
  for (const auto line : SplitLines(*procs)) {
    const auto pid = ParseInteger(line);
    if (!pid || *pid <= 0) continue;
    if (const auto dev = ReadTextFile(paths_.procfs / std::to_string(*pid) / "net/dev", kMaxCgroupFileBytes)) {
      return ParseContainerNetDev(*dev);
    }
  }
  return {};
}

std::optional<ContainerStats> ReadCgroupStats(const HostPaths& paths, const std::string& container_id) {
  const auto location = FindContainerCgroup(paths, container_id);
  if (!location) return std::nullopt;
  return CgroupStatsReader(paths, *location, false).Read();
}

}  // namespace silicon
