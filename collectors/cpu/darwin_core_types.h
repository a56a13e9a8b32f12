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

/// Core type per Mach processor number. The device tree is the authority for which CPU is in which
/// cluster: each cpu node names its cluster type by a letter, and Mach numbers processors by
/// logical-cpu-id (the correspondence hwloc relies on too; unverified here on hardware). The letter
/// is named through the perflevels (fastest letter P, then M, then E, paired with perflevel0, 1, ...
/// when the counts agree), because letters do not mean the same tier on every chip: an M5 Max's "P"
/// cores are its "Super" tier and its "M" cores its "Performance" tier. Without a usable tree, the
/// perflevel counts are used with the lowest tier numbered first, which matches the M1, M4 Pro and
/// M5 Max reports but not the M2 Ultra's interleaved clusters. A level without a name (macOS 12)
/// counts as performance/efficiency when there are two. Counts that do not add up to hw.ncpu, or no
/// perflevels at all (Intel Macs), leave every core "unknown": no guessing.
std::map<int, std::string> DarwinCoreTypes(const DarwinCpuTopology& topology);

/// "Performance" -> performance, "Efficiency" -> efficiency, anything else lowercased.
std::string CoreTypeFromPerfLevelName(const std::string& name);

}  // namespace silicon
