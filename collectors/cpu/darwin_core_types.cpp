#include "collectors/cpu/darwin_core_types.h"

#include <cctype>
#include <set>

#include "collectors/cpu/cpu_sample.h"

namespace silicon {
namespace {

// Device-tree cluster letters from the fastest tier down. Real dumps: M1-M4 use P and E
// (hwloc issue #454); an M5 Max has M and P, where P is the "Super" tier (perflevel0) and M the
// "Performance" tier (kennss/SiliconScope issue #30); hwloc PR #839 names P, M and E together.
int LetterRank(char letter) {
  switch (letter) {
    case 'P': return 0;
    case 'M': return 1;
    case 'E': return 2;
    default: return -1;
  }
}

// The label of perflevel `index`. macOS 12 prints no hw.perflevelN.name (an M1 Pro's `sysctl -a`
// in Dr-Noob/cpufetch issue #139 has none); sysctl.h says perflevel0 is the fastest tier, so with
// two tiers and no name they are performance and efficiency.
std::string LevelType(const std::vector<DarwinPerfLevel>& levels, std::size_t index) {
  if (!levels[index].name.empty()) return CoreTypeFromPerfLevelName(levels[index].name);
  if (levels.size() == 2) return index == 0 ? kPerformanceCore : kEfficiencyCore;
  return kUnknownCore;
}

bool TreeCoversAll(const DarwinCpuTopology& topology) {
  if (static_cast<int>(topology.cluster_type_by_cpu.size()) != topology.ncpu) return false;
  for (int cpu = 0; cpu < topology.ncpu; ++cpu) {
    if (topology.cluster_type_by_cpu.count(cpu) == 0) return false;
  }
  return true;
}

// Pairs the tree's letters, fastest first, with perflevel0, 1, ...; only when each letter's CPU
// count equals its level's logicalcpu, so a letter is never given a tier's name on order alone.
bool TypesFromTreeAndLevels(const DarwinCpuTopology& topology, std::map<int, std::string>& types) {
  std::map<int, int> cpus_by_rank;
  for (const auto& [cpu, letter] : topology.cluster_type_by_cpu) {
    const int rank = LetterRank(letter);
    if (rank < 0) return false;
    ++cpus_by_rank[rank];
  }
  if (cpus_by_rank.size() != topology.perf_levels.size()) return false;
  std::map<int, std::size_t> level_by_rank;
  std::size_t level = 0;
  for (const auto& [rank, count] : cpus_by_rank) {
    if (topology.perf_levels[level].logical_cpus != count) return false;
    level_by_rank[rank] = level++;
  }
  for (const auto& [cpu, letter] : topology.cluster_type_by_cpu) {
    types[cpu] = LevelType(topology.perf_levels, level_by_rank[LetterRank(letter)]);
  }
  return true;
}

}  // namespace

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

  if (TreeCoversAll(topology)) {
    if (TypesFromTreeAndLevels(topology, types)) return types;
    // No perflevels to name the letters (or they disagree): only the two-tier letters of M1-M4
    // are known; any other letter stays unknown (on an M5 Max "P" is the Super tier).
    std::set<char> letters;
    for (const auto& [cpu, letter] : topology.cluster_type_by_cpu) letters.insert(letter);
    const bool two_tier = letters == std::set<char>{'E', 'P'} || letters == std::set<char>{'P'};
    for (const auto& [cpu, letter] : topology.cluster_type_by_cpu) {
      if (two_tier) types[cpu] = letter == 'P' ? kPerformanceCore : kEfficiencyCore;
    }
    return types;
  }

  int total = 0;
  for (const auto& level : topology.perf_levels) total += level.logical_cpus;
  if (topology.perf_levels.empty() || total != topology.ncpu) return types;
  // Fallback: the slowest tier (the highest perflevel number) takes the lowest CPU numbers.
  int cpu = 0;
  for (std::size_t level = topology.perf_levels.size(); level-- > 0;) {
    const std::string type = LevelType(topology.perf_levels, level);
    for (int i = 0; i < topology.perf_levels[level].logical_cpus; ++i) types[cpu++] = type;
  }
  return types;
}

}  // namespace silicon
