#include "exporter/http/descriptor_limit.h"

#include <sys/resource.h>

#include <algorithm>

namespace silicon {
namespace {

// Linux's default fs.nr_open; macOS refuses a soft limit above OPEN_MAX (10240) even when the
// hard limit reads "unlimited" (setrlimit(2) on macOS).
#ifdef __APPLE__
constexpr rlim_t kHighest = 10240;
#else
constexpr rlim_t kHighest = 1 << 20;
#endif
constexpr std::size_t kFewest = 8;

}  // namespace

std::size_t ConnectionsWithin(std::size_t requested, std::uint64_t descriptor_limit, std::size_t reserve) {
  const std::uint64_t room = descriptor_limit > reserve ? descriptor_limit - reserve : 0;
  return std::max(kFewest, std::min<std::size_t>(requested, static_cast<std::size_t>(room)));
}

std::uint64_t RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  const rlim_t target = std::min(limit.rlim_max, kHighest);
  if (limit.rlim_cur < target) {
    rlimit raised = limit;
    raised.rlim_cur = target;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? kHighest : limit.rlim_cur;
}

}  // namespace silicon
