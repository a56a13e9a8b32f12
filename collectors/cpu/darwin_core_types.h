#pragma once

#include <map>
#include <string>
#include <vector>

namespace silicon {

/// One hw.perflevelN sysctl group (N = 0 is the fastest tier).
struct DarwinPerfLevel {
  std::string name;  // hw.perflevelN.name: "Performance", "Efficiency", ...
  int logical_cpus = 0;
  int cpus_per_l2 = 0;
};

/// What the macOS reader copies out of sysctl and the IODeviceTree before any interpretation.
struct DarwinCpuTopology {
  int ncpu = 0;                               // hw.ncpu
  std::vector<DarwinPerfLevel> perf_levels;   // empty on Intel Macs (no hw.nperflevels)
  std::map<int, char> cluster_type_by_cpu;    // IODeviceTree:/cpus/cpuN: logical-cpu-id -> cluster-type
};

/// Core type per Mach processor number. The device tree is the authority: each cpu node names its
/// cluster type ('E', 'M' or 'P', slowest first), named by the hw.perflevelN names
/// (core/apple_cpu_tiers.h: P is "performance" on M1-M4, "super" on M5), and Mach numbers
/// processors by logical-cpu-id (the correspondence
/// hwloc relies on too; unverified here on hardware). Without it, the perflevel counts are used
/// with the lowest tier numbered first, which matches the M1 and M4 Pro reports in APPLE_FACTS.md
/// but not the M2 Ultra's interleaved clusters. Counts that do not add up to hw.ncpu, or no
/// perflevels at all (Intel Macs), leave every core "unknown": no guessing.
std::map<int, std::string> DarwinCoreTypes(const DarwinCpuTopology& topology);

/// "Performance" -> performance, "Efficiency" -> efficiency, anything else lowercased.
std::string CoreTypeFromPerfLevelName(const std::string& name);

}  // namespace silicon
