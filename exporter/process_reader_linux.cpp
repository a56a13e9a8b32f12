#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/kept_open_file.h"
#include "core/text_file.h"
#include "exporter/process_sample.h"

// Always the real /proc/self: --path.procfs describes the host to watch, not this process.
namespace silicon {
namespace {

std::optional<double> ReadBootTimeSeconds() {
  const auto stat = ReadTextFile("/proc/stat");
  if (!stat) return std::nullopt;
  const auto at = stat->find("\nbtime ");
  if (at == std::string::npos) return std::nullopt;
  const auto end = stat->find('\n', at + 1);
  const auto value = ParseInteger(std::string_view(*stat).substr(at + 7, end - (at + 7)));
  return value ? std::optional<double>(static_cast<double>(*value)) : std::nullopt;
}

}  // namespace

struct ProcessReader::Platform {
  KeptOpenFile stat{"/proc/self/stat", ReadEnd::kAtShortRead};
  std::optional<double> boot_time_seconds = ReadBootTimeSeconds();  // never changes
  DIR* fds = opendir("/proc/self/fd");  // kept open and rewound: the listing is made on each read

  ~Platform() {
    if (fds != nullptr) closedir(fds);
  }
  std::optional<double> CountOpenFds() {
    if (fds == nullptr) return std::nullopt;
    // Linux 6.2+ reports the number of open descriptors as the size of /proc/<pid>/fd: one fstat
    // instead of listing the folder (~9 us of kernel time per scrape). Older kernels say 0.
    if (struct stat folder{}; fstat(dirfd(fds), &folder) == 0 && folder.st_size > 0) {
      return static_cast<double>(folder.st_size) - 1;  // the descriptor of the folder itself
    }
    rewinddir(fds);
    double count = 0;
    while (const dirent* entry = readdir(fds)) {
      if (entry->d_name[0] != '.') ++count;
    }
    return count - 1;  // the descriptor of the listing itself
  }
};

ProcessReader::ProcessReader() : platform_(new Platform) {}

ProcessReader::~ProcessReader() = default;

ProcessSample ProcessReader::Read() {
  auto& p = *platform_;
  ProcessSample sample;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));

  if (const auto stat = p.stat.Read()) {
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
    const auto utime = field(14), stime = field(15), starttime = field(22), vsize = field(23), rss = field(24);
    if (utime && stime) sample.cpu_seconds = (*utime + *stime) / ticks;
    if (vsize) sample.virtual_memory_bytes = *vsize;
    if (rss) sample.resident_memory_bytes = *rss * page;
    if (p.boot_time_seconds && starttime) {
      sample.start_time_seconds = *p.boot_time_seconds + *starttime / ticks;
    }
  }

  sample.open_fds = p.CountOpenFds();

  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) sample.max_fds = static_cast<double>(limit.rlim_cur);
  return sample;
}

}  // namespace silicon
