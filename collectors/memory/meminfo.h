#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace silicon {

/// /proc/meminfo as field -> bytes, in file order. A flat list rather than a std::map: ~55 fields
/// parsed every scrape, a map node allocation each was a tenth of a scrape's instructions.
class Meminfo {
 public:
  /// The field's bytes, or nullopt when the file had no such (well-formed) line.
  std::optional<double> Get(std::string_view name) const;
  /// The same, throwing std::out_of_range when absent (for tests).
  double at(std::string_view name) const;
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  void Add(std::string_view name, double bytes) { fields_.emplace_back(std::string(name), bytes); }

 private:
  std::vector<std::pair<std::string, double>> fields_;
};

/// Parses /proc/meminfo ("kB" values scaled to bytes; unit-less ones such as HugePages_Total kept).
Meminfo ParseMeminfo(std::string_view text);

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
