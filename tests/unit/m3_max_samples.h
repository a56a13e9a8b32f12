#pragma once

#include "collectors/memory/darwin_vm_stats.h"

namespace silicon::test {

/// A 48 GB M3 Max MacBook Pro under a moderate load, in 16 KiB pages (shaped like vm_stat output),
/// the kernel at pressure level 2 (warning).
inline DarwinVmStats M3Max48GB() {
  DarwinVmStats s;
  s.page_size = 16384;
  s.memsize = 51539607552;  // 48 GiB
  s.free_count = 120000;
  s.active_count = 1100000;
  s.inactive_count = 1050000;
  s.speculative_count = 30000;
  s.wire_count = 250000;
  s.purgeable_count = 20000;
  s.external_page_count = 900000;
  s.internal_page_count = 1280000;
  s.compressor_page_count = 180000;
  s.swapins = 5000;
  s.swapouts = 12000;
  s.swap_total_bytes = 2147483648;
  s.swap_used_bytes = 805306368;
  s.pressure_level = 2;
  return s;
}

}  // namespace silicon::test
