#include "collectors/memory/darwin_vm_stats.h"

#include <algorithm>

namespace silicon {

MemorySample MemorySampleFromDarwin(const DarwinVmStats& stats) {
  const auto bytes = [&stats](std::uint64_t pages) {
    return static_cast<double>(pages) * static_cast<double>(stats.page_size);
  };
  MemorySample sample;
  if (stats.memsize > 0) sample.total_bytes = static_cast<double>(stats.memsize);
  // Purgeable pages can be dropped at any time, so Activity Monitor does not count them as used.
  const std::uint64_t app_pages =
      stats.internal_page_count > stats.purgeable_count ? stats.internal_page_count - stats.purgeable_count : 0;
  const double used = bytes(app_pages + stats.wire_count + stats.compressor_page_count);
  if (sample.total_bytes) sample.available_bytes = std::max(0.0, *sample.total_bytes - used);
  // free_count includes the speculative pages, which external_page_count (cached) counts too:
  // free is what vm_stat prints as "Pages free", free_count - speculative_count.
  sample.free_bytes = bytes(stats.free_count - std::min(stats.free_count, stats.speculative_count));
  sample.cached_bytes = bytes(stats.external_page_count);
  sample.wired_bytes = bytes(stats.wire_count);
  sample.compressed_bytes = bytes(stats.compressor_page_count);
  if (stats.swap_total_bytes) sample.swap_total_bytes = static_cast<double>(*stats.swap_total_bytes);
  if (stats.swap_used_bytes) sample.swap_used_bytes = static_cast<double>(*stats.swap_used_bytes);
  sample.swap_in_bytes = bytes(stats.swapins);
  sample.swap_out_bytes = bytes(stats.swapouts);
  sample.kernel_pressure_level = stats.pressure_level;
  return sample;
}

}  // namespace silicon
