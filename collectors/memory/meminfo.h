#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace silicon {

/// /proc/meminfo as field -> bytes ("kB" values scaled; unit-less ones such as HugePages_Total kept).
std::map<std::string, double> ParseMeminfo(std::string_view text);

/// Pages moved to and from swap since boot: /proc/vmstat's pswpin and pswpout.
struct SwapPageCounts {
  std::optional<double> pages_in;
  std::optional<double> pages_out;
};

/// Picks pswpin/pswpout out of /proc/vmstat (not pgpgin/pgpgout, which count file I/O too).
SwapPageCounts ParseSwapPageCounts(std::string_view vmstat);

/// Bytes of memory a zram device uses for its compressed pages (mem_used_total, 3rd column of mm_stat).
std::optional<double> ParseZramMemUsed(std::string_view mm_stat);

}  // namespace silicon
