#pragma once

#include <optional>

#include "collectors/memory/memory_sample.h"

namespace silicon {

// Policy: macOS has a memory pressure level of its own; Linux has only PSI stall averages, so the
// exporter turns them into the same three levels with these thresholds, and one alert on
// silicon_memory_pressure_level serves Macs and Linux boxes alike. The raw stall time is exported
// by the pressure collector (silicon_pressure_stall_seconds_total) for rules of the user's own.

/// Thresholds that turn Linux PSI into silicon_memory_pressure_level (percent of the last 10 s).
struct MemoryPressureOptions {
  double warning_some_percent = 10;  // some task stalled on memory 10% of the time: reclaim is biting
  double critical_full_percent = 5;  // every task stalled 5% of the time: the box is thrashing
};

/// 0 normal, 1 warning, 2 critical: the kernel's own level where it has one (macOS), else Linux PSI
/// against the thresholds; nullopt when neither is there.
std::optional<int> MemoryPressureLevel(const MemorySample& sample, const MemoryPressureOptions& options);

}  // namespace silicon
