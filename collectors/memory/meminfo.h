#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace silicon {

/// /proc/meminfo as field -> bytes ("kB" values scaled; unit-less ones such as HugePages_Total kept).
std::map<std::string, double> ParseMeminfo(std::string_view text);

/// /proc/vmstat as counter name -> value.
std::map<std::string, double> ParseVmstat(std::string_view text);

/// Bytes of memory a zram device uses for its compressed pages (mem_used_total, 3rd column of mm_stat).
std::optional<double> ParseZramMemUsed(std::string_view mm_stat);

}  // namespace silicon
