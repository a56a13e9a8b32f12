#pragma once

#include <cstdint>
#include <optional>

#include "collectors/memory/memory_sample.h"

namespace silicon {

/// The numbers the macOS reader copies out of host_statistics64(HOST_VM_INFO64), host_page_size,
/// hw.memsize, vm.swapusage and kern.memorystatus_vm_pressure_level, uninterpreted.
struct DarwinVmStats {
  std::uint64_t page_size = 0;  // bytes (16384 on Apple Silicon; never assume 4096)
  std::uint64_t memsize = 0;    // hw.memsize, bytes
  std::uint64_t free_count = 0;
  std::uint64_t active_count = 0;
  std::uint64_t inactive_count = 0;
  std::uint64_t wire_count = 0;
  std::uint64_t speculative_count = 0;
  std::uint64_t purgeable_count = 0;
  std::uint64_t external_page_count = 0;  // file-backed
  std::uint64_t internal_page_count = 0;  // anonymous
  std::uint64_t compressor_page_count = 0;  // pages the compressor occupies
  std::uint64_t swapins = 0;   // pages read from swap (not pageins: those are file reads)
  std::uint64_t swapouts = 0;
  std::optional<std::uint64_t> swap_total_bytes;  // xsw_usage.xsu_total
  std::optional<std::uint64_t> swap_used_bytes;   // xsw_usage.xsu_used
  std::optional<int> pressure_level;  // 1 normal, 2 warning, 4 critical
};

/// Turns raw macOS VM statistics into the shared memory sample. "Used" is Activity Monitor's
/// "Memory Used": app memory (internal - purgeable) + wired + compressed; available = total - used.
MemorySample MemorySampleFromDarwin(const DarwinVmStats& stats);

}  // namespace silicon
