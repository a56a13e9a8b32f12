#pragma once

#include <optional>
#include <string>
#include <vector>

namespace silicon {

/// Core type labels shared by every platform; other tier names (future chips) pass through lowercased.
inline constexpr const char* kPerformanceCore = "performance";
inline constexpr const char* kEfficiencyCore = "efficiency";
inline constexpr const char* kUnknownCore = "unknown";

/// Time one CPU spent in one mode since boot, as the platform names the mode.
struct CpuModeTime {
  std::string mode;
  double seconds = 0;
};

/// One logical CPU as a platform reader sees it.
struct CpuCoreSample {
  int cpu = 0;
  std::string core_type = kUnknownCore;
  std::vector<CpuModeTime> modes;
  /// Linux counts guest time inside user/nice too; kept apart so sums over modes stay honest.
  std::optional<double> guest_user_seconds;
  std::optional<double> guest_nice_seconds;
  std::optional<double> frequency_hertz;
};

/// System load averages (runnable and, on Linux, uninterruptible tasks).
struct LoadAverage {
  double one = 0;
  double five = 0;
  double fifteen = 0;
};

/// Everything the CPU collector exposes, filled by cpu_reader_<platform>.cpp.
struct CpuSample {
  std::vector<CpuCoreSample> cores;
  std::string model;
  std::string arch;
  std::optional<LoadAverage> load;
};

}  // namespace silicon
