#pragma once

#include <optional>

#include "core/psi.h"

namespace silicon {

/// Unified (or plain) memory as a platform reader sees it. A field the platform has no honest
/// equivalent for stays empty and is not exported (never a 0 for "unknown").
struct MemorySample {
  std::optional<double> total_bytes;
  std::optional<double> available_bytes;  // what can be handed out without swapping
  std::optional<double> free_bytes;
  std::optional<double> cached_bytes;      // file-backed pages
  std::optional<double> wired_bytes;       // macOS: wired down; Linux: none
  std::optional<double> compressed_bytes;  // memory holding compressed pages (macOS compressor, zswap, zram)
  std::optional<double> swap_total_bytes;
  std::optional<double> swap_used_bytes;
  std::optional<double> swap_in_bytes;   // real swap traffic since boot, not file page-ins
  std::optional<double> swap_out_bytes;
  /// macOS: kern.memorystatus_vm_pressure_level as the kernel gives it (1 normal, 2 warn, 4 critical).
  std::optional<int> kernel_pressure_level;
  /// Linux: /proc/pressure/memory, for a level derived with configured thresholds.
  std::optional<PsiStats> memory_psi;
};

}  // namespace silicon
