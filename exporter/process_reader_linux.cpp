#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "collectors/common/text_file.h"
#include "exporter/process_sample.h"

// Always the real /proc/self: --path.procfs describes the host to watch, not this process.
namespace silicon {
namespace {

// Boot time never changes, so it is read once, not on every scrape.
std::optional<double> BootTimeSecondsOnce();

std::optional<double> ReadBootTimeSeconds() {
  const auto stat = ReadTextFile("/proc/stat");
  if (!stat) return std::nullopt;
  const auto at = stat->find("\nbtime ");
  if (at == std::string::npos) return std::nullopt;
  const auto end = stat->find('\n', at + 1);
  const auto value = ParseInteger(std::string_view(*stat).substr(at + 7, end - (at + 7)));
  return value ? std::optional<double>(static_cast<double>(*value)) : std::nullopt;
}

std::optional<double> BootTimeSecondsOnce() {
  static const std::optional<double> boot = ReadBootTimeSeconds();
  return boot;
}

// readdir rather than std::filesystem: counting entries needs no path objects.
std::optional<double> CountOpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return std::nullopt;
  double count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the descriptor opendir itself holds
}

}  // namespace

ProcessSample ReadProcessSample() {
  ProcessSample sample;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));

  if (const auto stat = ReadTextFile("/proc/self/stat")) {
    // The command name (field 2) may hold spaces and parentheses; fields resume after the last ')'.
    const auto close = stat->rfind(')');
    std::vector<std::string_view> fields;
    if (close != std::string::npos) {
      std::string_view rest = std::string_view(*stat).substr(close + 2);
      while (!rest.empty()) {
        const auto space = rest.find(' ');
        fields.push_back(rest.substr(0, space));
        if (space == std::string_view::npos) break;
        rest.remove_prefix(space + 1);
      }
    }
    // proc(5) numbers fields from 1 and we start at field 3 (state): field N is fields[N - 3].
    auto field = [&](std::size_t n) -> std::optional<double> {
      if (n - 3 >= fields.size()) return std::nullopt;
      const auto value = ParseInteger(fields[n - 3]);
      return value ? std::optional<double>(static_cast<double>(*value)) : std::nullopt;
    };
    const auto utime = field(14), stime = field(15), starttime = field(22), vsize = field(23),
               rss = field(24);
    if (utime && stime) sample.cpu_seconds = (*utime + *stime) / ticks;
    if (vsize) sample.virtual_memory_bytes = *vsize;
    if (rss) sample.resident_memory_bytes = *rss * page;
    if (const auto boot = BootTimeSecondsOnce(); boot && starttime) {
      sample.start_time_seconds = *boot + *starttime / ticks;
    }
  }

  sample.open_fds = CountOpenFds();

  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) sample.max_fds = static_cast<double>(limit.rlim_cur);
  return sample;
}

}  // namespace silicon
