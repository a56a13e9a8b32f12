#include "tests/unit/catch.h"

#include "collectors/cpu/darwin_core_types.h"

using namespace silicon;

namespace {

DarwinCpuTopology Sysctl(int performance, int efficiency) {
  DarwinCpuTopology t;
  t.ncpu = performance + efficiency;
  t.perf_levels = {{"Performance", performance, 6}, {"Efficiency", efficiency, 4}};
  return t;
}

int Count(const std::map<int, std::string>& types, const std::string& type) {
  int n = 0;
  for (const auto& [cpu, t] : types) n += t == type;
  return n;
}

}  // namespace

TEST_CASE("M3 Max 16-core from the device tree: 4 E then 12 P", "[darwin][cpu]") {
  auto t = Sysctl(12, 4);
  for (int cpu = 0; cpu < 16; ++cpu) t.cluster_type_by_cpu[cpu] = cpu < 4 ? 'E' : 'P';
  const auto types = DarwinCoreTypes(t);
  REQUIRE(types.size() == 16);
  CHECK(Count(types, "performance") == 12);
  CHECK(Count(types, "efficiency") == 4);
  CHECK(types.at(0) == "efficiency");
  CHECK(types.at(15) == "performance");
}

TEST_CASE("M2 Ultra interleaves clusters: only the device tree gets it right", "[darwin][cpu]") {
  // powermetrics order E0, P0, P1, E1, P2, P3 (clusters of 4): 16 P + 8 E.
  auto t = Sysctl(16, 8);
  const char clusters[] = {'E', 'P', 'P', 'E', 'P', 'P'};
  for (int cpu = 0; cpu < 24; ++cpu) t.cluster_type_by_cpu[cpu] = clusters[cpu / 4];
  const auto types = DarwinCoreTypes(t);
  CHECK(types.at(0) == "efficiency");
  CHECK(types.at(4) == "performance");
  CHECK(types.at(12) == "efficiency");
  CHECK(types.at(15) == "efficiency");
  CHECK(types.at(16) == "performance");
  CHECK(Count(types, "performance") == 16);
}

TEST_CASE("without the device tree, perflevel counts with the lowest tier first", "[darwin][cpu]") {
  const auto m3_max_14 = DarwinCoreTypes(Sysctl(10, 4));  // 14-core M3 Max
  CHECK(m3_max_14.size() == 14);
  CHECK(m3_max_14.at(3) == "efficiency");
  CHECK(m3_max_14.at(4) == "performance");
  CHECK(Count(m3_max_14, "performance") == 10);
  const auto m1 = DarwinCoreTypes(Sysctl(4, 4));
  CHECK(m1.at(0) == "efficiency");
  CHECK(m1.at(7) == "performance");
}

TEST_CASE("Intel Mac, partial or contradicting topology: unknown, never a crash", "[darwin][cpu][bad-input]") {
  DarwinCpuTopology intel;
  intel.ncpu = 8;
  const auto types = DarwinCoreTypes(intel);
  CHECK(types.size() == 8);
  CHECK(Count(types, "unknown") == 8);

  auto mismatch = Sysctl(12, 4);
  mismatch.ncpu = 14;  // counts that do not add up
  CHECK(Count(DarwinCoreTypes(mismatch), "unknown") == 14);

  auto partial_tree = Sysctl(12, 4);
  partial_tree.cluster_type_by_cpu = {{0, 'E'}, {1, 'E'}};  // tree covers 2 of 16: fall back to counts
  CHECK(Count(DarwinCoreTypes(partial_tree), "performance") == 12);

  DarwinCpuTopology empty;
  CHECK(DarwinCoreTypes(empty).empty());
}

TEST_CASE("tier names map by name, new ones pass through lowercased", "[darwin][cpu]") {
  CHECK(CoreTypeFromPerfLevelName("Performance") == "performance");
  CHECK(CoreTypeFromPerfLevelName("Efficiency") == "efficiency");
  CHECK(CoreTypeFromPerfLevelName("Super") == "super");
  CHECK(CoreTypeFromPerfLevelName("") == "unknown");
  DarwinCpuTopology three;
  three.ncpu = 6;
  three.perf_levels = {{"Super", 2, 2}, {"Performance", 2, 2}, {"Efficiency", 2, 2}};
  const auto types = DarwinCoreTypes(three);
  CHECK(types.at(0) == "efficiency");
  CHECK(types.at(2) == "performance");
  CHECK(types.at(5) == "super");
  // A device-tree letter other than P or E is not guessed at.
  DarwinCpuTopology odd = Sysctl(1, 1);
  odd.cluster_type_by_cpu = {{0, 'E'}, {1, 'X'}};
  CHECK(DarwinCoreTypes(odd).at(1) == "unknown");
}
