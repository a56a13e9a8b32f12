#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "collectors/common/text_file.h"
#include "exporter/process_sample.h"

// Always the real /proc/self: --path.procfs describes the host to watch, not this process.
namespace silicon {
namespace {

std::optional<double> BootTimeSeconds() {
  const auto stat = ReadTextFile("/proc/stat");
  if (!stat) return std::nullopt;
  const auto at = stat->find("\nbtime ");
  if (at == std::string::npos) return std::nullopt;
  const auto end = stat->find('\n', at + 1);
  const auto value = ParseInteger(std::string_view(*stat).substr(at + 7, end - (at + 7)));
  return value ? std::optional<double>(static_cast<double>(*value)) : std::nullopt;
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
    if (const auto boot = BootTimeSeconds(); boot && starttime) {
      sample.start_time_seconds = *boot + *starttime / ticks;
    }
  }

  std::error_code error;
  std::size_t fds = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++fds;
  }
  if (!error) sample.open_fds = static_cast<double>(fds);

  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) sample.max_fds = static_cast<double>(limit.rlim_cur);
  return sample;
}

}  // namespace silicon
