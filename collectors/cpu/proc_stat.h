#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/cpu/cpu_sample.h"

namespace silicon {

/// Per-CPU lines of /proc/stat ("cpuN user nice ..."), ticks turned into seconds; the aggregate
/// "cpu" line is ignored. Throws std::runtime_error on a cpuN line that does not parse: a machine
/// must never shrink silently.
std::vector<CpuCoreSample> ParseProcStatCpus(std::string_view text, double ticks_per_second);

/// The first three fields of /proc/loadavg.
std::optional<LoadAverage> ParseLoadavg(std::string_view text);

/// A kernel CPU list such as "0-3,8,10-11"; nullopt when any part is malformed.
std::optional<std::vector<int>> ParseCpuList(std::string_view text);

/// The processor model from /proc/cpuinfo ("model name" on x86, "Model"/"Hardware" on Arm boards).
std::string ParseCpuinfoModel(std::string_view text);

/// Types cores by their cpu_capacity: the highest class is performance, lower ones efficiency;
/// when every core has the same capacity the machine is not heterogeneous and all stay unknown.
std::map<int, std::string> CoreTypesFromCapacity(const std::map<int, long>& capacity_by_cpu);

}  // namespace silicon
