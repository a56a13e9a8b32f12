#include "collectors/cpu/darwin_core_types.h"

#include <cctype>
#include <set>

#include "collectors/cpu/cpu_sample.h"
#include "core/apple_cpu_tiers.h"

namespace silicon {

std::string CoreTypeFromPerfLevelName(const std::string& name) {
  if (name.empty()) return kUnknownCore;
  std::string lower;
  for (const char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;  // "performance" and "efficiency" come out as our labels already
}

std::map<int, std::string> DarwinCoreTypes(const DarwinCpuTopology& topology) {
  std::map<int, std::string> types;
  if (topology.ncpu <= 0) return types;
  for (int cpu = 0; cpu < topology.ncpu; ++cpu) types[cpu] = kUnknownCore;

  bool tree_covers_all = static_cast<int>(topology.cluster_type_by_cpu.size()) == topology.ncpu;
  for (int cpu = 0; cpu < topology.ncpu && tree_covers_all; ++cpu) {
    tree_covers_all = topology.cluster_type_by_cpu.count(cpu) > 0;
  }
  if (tree_covers_all) {
    // The letters name tiers only through macOS's perflevel names: P is "performance" on M1-M4 and
    // "super" on M5 (core/apple_cpu_tiers.h).
    std::set<char> letters;
    for (const auto& [cpu, letter] : topology.cluster_type_by_cpu) letters.insert(letter);
    std::vector<std::string> names;
    for (const auto& level : topology.perf_levels) names.push_back(level.name);
    const auto tier_names = AppleTierNames(letters, names);
    for (const auto& [cpu, letter] : topology.cluster_type_by_cpu) types[cpu] = tier_names.at(letter);
    return types;
  }

  int total = 0;
  for (const auto& level : topology.perf_levels) total += level.logical_cpus;
  if (topology.perf_levels.empty() || total != topology.ncpu) return types;
  // Fallback: the slowest tier (the highest perflevel number) takes the lowest CPU numbers.
  // macOS 12 prints no hw.perflevelN.name (an M1 Pro's sysctl in Dr-Noob/cpufetch#139): sysctl.h
  // says perflevel0 is the fastest, so two unnamed levels are performance and efficiency.
  const auto type_of = [&](std::size_t index) {
    const std::string& name = topology.perf_levels[index].name;
    if (name.empty() && topology.perf_levels.size() == 2) return std::string(index == 0 ? kPerformanceCore : kEfficiencyCore);
    return CoreTypeFromPerfLevelName(name);
  };
  int cpu = 0;
  for (std::size_t level = topology.perf_levels.size(); level-- > 0;) {
    for (int i = 0; i < topology.perf_levels[level].logical_cpus; ++i) types[cpu++] = type_of(level);
  }
  return types;
}

}  // namespace silicon
