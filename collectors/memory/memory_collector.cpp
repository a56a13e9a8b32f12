#include "collectors/memory/memory_collector.h"

#include "core/metric_builder.h"

namespace silicon {

Families MemoryFamilies(const MemorySample& sample, const MemoryPressureOptions& options) {
  Families out;
  const auto gauge = [&out](const char* name, const char* help, const std::optional<double>& value) {
    AppendSingle(out, GaugeFamily(name, help), value);
  };
  const auto counter = [&out](const char* name, const char* help, const std::optional<double>& value) {
    AppendSingle(out, CounterFamily(name, help), value);
  };

  gauge("silicon_memory_total_bytes", "Physical memory installed.", sample.total_bytes);
  gauge("silicon_memory_available_bytes", "Memory that can be handed out without swapping.", sample.available_bytes);
  if (sample.total_bytes && sample.available_bytes) {
    gauge("silicon_memory_used_bytes", "Memory in use: total minus available.",
          *sample.total_bytes - *sample.available_bytes);
  }
  gauge("silicon_memory_free_bytes", "Memory not used for anything.", sample.free_bytes);
  gauge("silicon_memory_cached_bytes", "File-backed memory (page cache).", sample.cached_bytes);
  gauge("silicon_memory_wired_bytes", "Memory wired down: it can neither be paged out nor compressed.",
        sample.wired_bytes);
  gauge("silicon_memory_compressed_bytes", "Memory holding compressed pages (macOS compressor, zswap, zram).",
        sample.compressed_bytes);
  gauge("silicon_swap_total_bytes", "Swap space.", sample.swap_total_bytes);
  gauge("silicon_swap_used_bytes", "Swap space in use.", sample.swap_used_bytes);
  counter("silicon_swap_in_bytes_total", "Bytes read back from swap since boot.", sample.swap_in_bytes);
  counter("silicon_swap_out_bytes_total", "Bytes written out to swap since boot.", sample.swap_out_bytes);
  if (const auto level = MemoryPressureLevel(sample, options)) {
    gauge("silicon_memory_pressure_level", "Memory pressure: 0 normal, 1 warning, 2 critical.",
          static_cast<double>(*level));
  }
  return out;
}

}  // namespace silicon
