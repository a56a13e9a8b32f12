#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <vector>

#include "collectors/memory/meminfo.h"
#include "collectors/memory/memory_collector.h"
#include "core/directory.h"
#include "core/kept_open_file.h"
#include "core/text_file.h"

namespace silicon {

struct MemoryReader::Platform {
  HostPaths paths;
  KeptOpenFile meminfo;
  KeptOpenFile vmstat;
  KeptOpenFile memory_psi;
  // Each zram device's mm_stat, kept open. Listing /sys/block costs ~8 us of kernel time, as much
  // as reading meminfo, for devices made or removed by hand (zramctl) once in a blue moon: the
  // list is renewed every kZramRelist, and at once when a kept file stops reading.
  std::vector<KeptOpenFile> zram_mm_stats;
  std::optional<std::chrono::steady_clock::time_point> zram_listed_at;

  std::optional<double> CompressedBytes(const Meminfo& fields);
};

constexpr auto kZramRelist = std::chrono::seconds(10);

// zswap's pool (meminfo "Zswap", Linux 5.19+) plus what every zram device uses for its pages.
std::optional<double> MemoryReader::Platform::CompressedBytes(const Meminfo& fields) {
  const auto now = std::chrono::steady_clock::now();
  if (!zram_listed_at || now - *zram_listed_at > kZramRelist) {
    zram_mm_stats.clear();
    for (const auto& device : ListNames(paths.sysfs / "block", "zram")) {
      zram_mm_stats.emplace_back(paths.sysfs / "block" / device / "mm_stat", ReadEnd::kAtShortRead);
    }
    zram_listed_at = now;
  }
  std::optional<double> total = fields.Get("Zswap");
  for (auto& mm_stat : zram_mm_stats) {
    const auto text = mm_stat.Read();
    if (!text) {
      zram_listed_at.reset();  // a device removed (or being reset): list again next scrape
      continue;
    }
    if (const auto used = ParseZramMemUsed(*text)) total = total.value_or(0) + *used;
  }
  return total;
}

MemoryReader::MemoryReader(const HostPaths& paths)
    : platform_(new Platform{paths,
                             KeptOpenFile(paths.procfs / "meminfo", ReadEnd::kAtShortRead),
                             KeptOpenFile(paths.procfs / "vmstat"),
                             KeptOpenFile(paths.procfs / "pressure/memory", ReadEnd::kAtShortRead),
                             {},
                             std::nullopt}) {}

MemoryReader::~MemoryReader() = default;

MemorySample MemoryReader::Read() {
  auto& p = *platform_;
  const auto& meminfo_path = p.meminfo.path();
  const auto text = p.meminfo.Read();
  if (!text) throw std::runtime_error("cannot read " + meminfo_path.string());
  const auto meminfo = ParseMeminfo(*text);
  if (!meminfo.Get("MemTotal")) throw std::runtime_error("no MemTotal in " + meminfo_path.string());

  MemorySample sample;
  sample.total_bytes = meminfo.Get("MemTotal");
  sample.free_bytes = meminfo.Get("MemFree");
  sample.available_bytes = meminfo.Get("MemAvailable");  // Linux 3.14+
  const auto active_file = meminfo.Get("Active(file)");
  const auto inactive_file = meminfo.Get("Inactive(file)");
  if (active_file && inactive_file) sample.cached_bytes = *active_file + *inactive_file;
  sample.compressed_bytes = p.CompressedBytes(meminfo);
  sample.swap_total_bytes = meminfo.Get("SwapTotal");
  if (const auto swap_free = meminfo.Get("SwapFree"); sample.swap_total_bytes && swap_free) {
    sample.swap_used_bytes = *sample.swap_total_bytes - *swap_free;
  }

  if (const auto vmstat_text = p.vmstat.Read()) {
    const auto swap = ParseSwapPageCounts(*vmstat_text);
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    if (swap.pages_in) sample.swap_in_bytes = *swap.pages_in * page;
    if (swap.pages_out) sample.swap_out_bytes = *swap.pages_out * page;
  }
  if (const auto psi = p.memory_psi.Read()) sample.memory_psi = ParsePsi(*psi);
  return sample;
}

}  // namespace silicon
