// Converters fed with macOS output that users published (tests/fixtures/mac-captures/, each file
// headed with its source). The small parsers below turn that text into the raw structs the darwin
// readers fill from sysctl, the IODeviceTree, host_statistics64 and IOKit.
#include <cstdint>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "collectors/cpu/darwin_core_types.h"
#include "collectors/gpu/accelerator_stats.h"
#include "collectors/memory/darwin_vm_stats.h"
#include "tests/unit/catch.h"
#include "tests/unit/test_support.h"

using namespace silicon;

namespace {

/// The capture's text without its '#' header lines.
std::string Capture(const std::string& name) {
  std::ifstream in(std::string(SILICON_FIXTURES) + "/mac-captures/" + name);
  REQUIRE(in);
  std::string text;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') text += line + "\n";
  }
  return text;
}

/// `sysctl` text ("name: value" lines).
std::map<std::string, std::string> ParseSysctl(const std::string& text) {
  std::map<std::string, std::string> values;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(": ");
    if (colon != std::string::npos) values[line.substr(0, colon)] = line.substr(colon + 2);
  }
  return values;
}

/// hw.ncpu and the hw.perflevelN groups. The trimmed captures lack hw.nperflevels (the reader's
/// loop bound), so the levels are the N that have a logicalcpu line.
DarwinCpuTopology TopologyFromSysctl(const std::map<std::string, std::string>& sysctl) {
  DarwinCpuTopology topology;
  topology.ncpu = std::stoi(sysctl.at("hw.ncpu"));
  for (int level = 0;; ++level) {
    const std::string prefix = "hw.perflevel" + std::to_string(level) + ".";
    if (sysctl.count(prefix + "logicalcpu") == 0) break;
    const auto name = sysctl.find(prefix + "name");
    topology.perf_levels.push_back({name == sysctl.end() ? "" : name->second,
                                    std::stoi(sysctl.at(prefix + "logicalcpu")),
                                    std::stoi(sysctl.at(prefix + "cpusperl2"))});
  }
  return topology;
}

int Count(const std::map<int, std::string>& types, const std::string& type) {
  int n = 0;
  for (const auto& [cpu, t] : types) n += t == type;
  return n;
}

/// vm_stat text: the page size and every "Label: count." line.
std::pair<std::uint64_t, std::map<std::string, std::uint64_t>> ParseVmStat(const std::string& text) {
  std::smatch match;
  REQUIRE(std::regex_search(text, match, std::regex(R"(page size of (\d+) bytes)")));
  const std::uint64_t page_size = std::stoull(match[1]);
  std::map<std::string, std::uint64_t> pages;
  const std::regex line(R"re(^"?([^":]+)"?:\s+(\d+)\.$)re");
  std::istringstream in(text);
  std::string row;
  while (std::getline(in, row)) {
    if (std::regex_match(row, match, line)) pages[match[1]] = std::stoull(match[2]);
  }
  return {page_size, pages};
}

/// The raw struct as host_statistics64 fills it. vm_stat prints "Pages free" as free_count minus
/// speculative_count (system_cmds vm_stat.c), so free_count is their sum.
DarwinVmStats VmStatsFromVmStat(std::uint64_t page_size, const std::map<std::string, std::uint64_t>& p) {
  DarwinVmStats s;
  s.page_size = page_size;
  s.free_count = p.at("Pages free") + p.at("Pages speculative");
  s.active_count = p.at("Pages active");
  s.inactive_count = p.at("Pages inactive");
  s.speculative_count = p.at("Pages speculative");
  s.wire_count = p.at("Pages wired down");
  s.purgeable_count = p.at("Pages purgeable");
  s.external_page_count = p.at("File-backed pages");
  s.internal_page_count = p.at("Anonymous pages");
  s.compressor_page_count = p.at("Pages occupied by compressor");
  s.swapins = p.at("Swapins");
  s.swapouts = p.at("Swapouts");
  return s;
}

}  // namespace

TEST_CASE("M1 device tree (hwloc #454): 4 efficiency then 4 performance, as lstopo says", "[darwin][cpu][capture]") {
  DarwinCpuTopology topology;
  const std::regex node(R"(^cpu(\d+)@\d+\((\w)\))");
  std::istringstream in(Capture("m1-hwloc454-devicetree.txt"));
  std::string line;
  std::smatch match;
  while (std::getline(in, line)) {
    if (std::regex_search(line, match, node)) topology.cluster_type_by_cpu[std::stoi(match[1])] = match[2].str()[0];
  }
  topology.ncpu = static_cast<int>(topology.cluster_type_by_cpu.size());  // no sysctl in this capture
  const auto types = DarwinCoreTypes(topology);
  REQUIRE(types.size() == 8);
  // lstopo --cpukinds on an M1: icestorm cpuset 0x0f, firestorm 0xf0 (exact: no tolerance for a set).
  unsigned efficiency_mask = 0;
  unsigned performance_mask = 0;
  for (const auto& [cpu, type] : types) {
    if (type == "efficiency") efficiency_mask |= 1u << cpu;
    if (type == "performance") performance_mask |= 1u << cpu;
  }
  CHECK(efficiency_mask == 0x0f);
  CHECK(performance_mask == 0xf0);
}

TEST_CASE("M1 Pro sysctl from macOS 12 has no perflevel names: 8 performance + 2 efficiency", "[darwin][cpu][capture]") {
  // Defect this capture showed: without hw.perflevelN.name every core came out "unknown".
  const auto topology = TopologyFromSysctl(ParseSysctl(Capture("m1pro-cpufetch139-sysctl.txt")));
  REQUIRE(topology.ncpu == 10);
  REQUIRE(topology.perf_levels.size() == 2);
  CHECK(topology.perf_levels[0].name.empty());
  const auto types = DarwinCoreTypes(topology);
  // system_profiler (a 10-core M1 Pro): "10 (8 performance and 2 efficiency)"; counts are exact.
  CHECK(Count(types, "performance") == 8);
  CHECK(Count(types, "efficiency") == 2);
  CHECK(Count(types, "unknown") == 0);
  // Which numbers they hold is the lowest-tier-first assumption: this capture has no device tree.
  CHECK(types.at(0) == "efficiency");
  CHECK(types.at(9) == "performance");
}

TEST_CASE("M4-family sysctl (archspec #201): 8 Performance + 4 Efficiency by name", "[darwin][cpu][capture]") {
  const auto sysctl = ParseSysctl(Capture("m4-archspec201-sysctl.txt"));
  const auto topology = TopologyFromSysctl(sysctl);
  CHECK(sysctl.at("hw.memsize") == "25769803776");
  const auto types = DarwinCoreTypes(topology);
  REQUIRE(types.size() == 12);
  CHECK(Count(types, "performance") == 8);
  CHECK(Count(types, "efficiency") == 4);
}

TEST_CASE("M5 Max device tree M/M/P with perflevels Super + Performance (SiliconScope #30)", "[darwin][cpu][capture]") {
  DarwinCpuTopology topology;
  const std::regex row("^cpu(\\d+)\xE2\x80\x93(\\d+)\\s+cluster\\s+\\d+\\s+type\\s+(\\w)");  // en dash
  std::istringstream in(Capture("m5max-siliconscope30-topology.txt"));
  std::string line;
  std::smatch match;
  while (std::getline(in, line)) {
    if (!std::regex_search(line, match, row)) continue;
    for (int cpu = std::stoi(match[1]); cpu <= std::stoi(match[2]); ++cpu) {
      topology.cluster_type_by_cpu[cpu] = match[3].str()[0];
    }
  }
  topology.ncpu = 18;
  // From the same thread: perflevel0 "Super" (6), perflevel1 "Performance" (12); cpusperl2 unknown.
  topology.perf_levels = {{"Super", 6, 0}, {"Performance", 12, 0}};
  REQUIRE(topology.cluster_type_by_cpu.size() == 18);
  // Defect this capture showed: the letter "P" was read as performance, so the six Super cores were
  // labelled performance and the twelve "M" cores unknown. SiliconScope: "6 Super + 12 Performance",
  // the Super load on CPUs 12-17. Exact: these are counts and CPU numbers.
  const auto types = DarwinCoreTypes(topology);
  CHECK(Count(types, "super") == 6);
  CHECK(Count(types, "performance") == 12);
  for (int cpu = 0; cpu < 12; ++cpu) CHECK(types.at(cpu) == "performance");
  for (int cpu = 12; cpu < 18; ++cpu) CHECK(types.at(cpu) == "super");
  // Without the tree the lowest-tier-first fallback happens to agree on this chip.
  DarwinCpuTopology sysctl_only = topology;
  sysctl_only.cluster_type_by_cpu.clear();
  CHECK(DarwinCoreTypes(sysctl_only) == types);
  // Without perflevels an "M"/"P" tree names nothing rather than guess.
  DarwinCpuTopology tree_only = topology;
  tree_only.perf_levels.clear();
  CHECK(Count(DarwinCoreTypes(tree_only), "unknown") == 18);
}

TEST_CASE("M1 Pro IOAccelerator PerformanceStatistics (stats #1094), macOS 12.6", "[darwin][gpu][capture]") {
  const std::string text = Capture("m1pro-stats1094-ioaccelerator.txt");
  AcceleratorStats stats;
  std::smatch match;
  REQUIRE(std::regex_search(text, match, std::regex(R"(<class (\w+),)")));
  stats.class_name = match[1];
  std::map<std::string, long long> perf;
  const std::regex pair(R"dl("([^"]+)"=(\d+))dl");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pair); it != std::sregex_iterator(); ++it) {
    perf[(*it)[1]] = std::stoll((*it)[2]);
  }
  REQUIRE(perf.size() == 9);
  stats.device_utilization_percent = perf.at("Device Utilization %");
  stats.in_use_system_memory = perf.at("In use system memory");
  stats.alloc_system_memory = perf.at("Alloc system memory");
  const auto device = GpuDeviceFromAccelerator(stats);
  // The driver's own numbers, exact: 2 % and 340983808 bytes.
  CHECK(device.utilization_ratio == Approx(0.02).epsilon(1e-12));
  CHECK(device.memory_used_bytes == 340983808.0);
  CHECK(device.name == "AGXAcceleratorG13X");  // no "model" line in what was published
  CHECK_FALSE(device.cores);
}

TEST_CASE("vm_stat of a real (Intel) Mac: bytes are vm_stat's pages times its page size", "[darwin][memory][capture]") {
  const auto [page_size, pages] = ParseVmStat(Capture("intel-wazuh22113-vmstat.txt"));
  REQUIRE(page_size == 4096);
  REQUIRE(pages.size() == 22);
  const auto sample = MemorySampleFromDarwin(VmStatsFromVmStat(page_size, pages));
  // Exact: these are products of integers well inside a double's 2^53.
  CHECK(sample.free_bytes == 6127229.0 * 4096);      // "Pages free", not free + speculative
  CHECK(sample.cached_bytes == 1080348.0 * 4096);    // "File-backed pages"
  CHECK(sample.wired_bytes == 715958.0 * 4096);      // "Pages wired down"
  CHECK(sample.compressed_bytes == 0.0);             // "Pages occupied by compressor"
  CHECK(sample.swap_in_bytes == 0.0);
  CHECK(sample.swap_out_bytes == 0.0);
  // No hw.memsize in the capture: no total, so no available either (never a made-up number).
  CHECK_FALSE(sample.total_bytes);
  CHECK_FALSE(sample.available_bytes);
}
