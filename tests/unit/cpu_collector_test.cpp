#include "tests/unit/catch.h"

#include "collectors/cpu/cpu_collector.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::CountSamples;
using silicon::test::FindValue;
using silicon::test::FixturePaths;

TEST_CASE("Intel hybrid laptop: P and E cores from the hybrid PMUs", "[cpu][fixture]") {
  const auto families = CpuCollector(FixturePaths("intel-hybrid")).Collect();
  CHECK(FindValue(families, "silicon_cpu_cores", {{"core_type", "performance"}}) == 8);
  CHECK(FindValue(families, "silicon_cpu_cores", {{"core_type", "efficiency"}}) == 8);
  CHECK_FALSE(FindValue(families, "silicon_cpu_cores", {{"core_type", "unknown"}}));
  CHECK(FindValue(families, "silicon_cpu_seconds_total",
                  {{"cpu", "9"}, {"core_type", "efficiency"}, {"mode", "user"}}) == Approx(109.0));
  CHECK(FindValue(families, "silicon_cpu_frequency_hertz", {{"cpu", "0"}, {"core_type", "performance"}}) ==
        Approx(4.4e9));
  CHECK(FindValue(families, "silicon_cpu_frequency_hertz", {{"cpu", "15"}}) == Approx(3.285e9));
  CHECK(FindValue(families, "silicon_cpu_guest_seconds_total", {{"cpu", "1"}, {"mode", "user"}}) ==
        Approx(0.01));
  CHECK(FindValue(families, "silicon_cpu_info", {{"model", "12th Gen Intel(R) Core(TM) i7-1260P"}}) == 1);
  CHECK(FindValue(families, "silicon_load1") == Approx(2.48));
  CHECK(FindValue(families, "silicon_load15") == Approx(1.55));
  CHECK(CountSamples(families, "silicon_cpu_seconds_total") == 16 * 8);
}

TEST_CASE("Asahi M1: core types from cpu_capacity, model from the device tree", "[cpu][fixture]") {
  const auto families = CpuCollector(FixturePaths("asahi-m1")).Collect();
  CHECK(FindValue(families, "silicon_cpu_cores", {{"core_type", "efficiency"}}) == 4);
  CHECK(FindValue(families, "silicon_cpu_cores", {{"core_type", "performance"}}) == 4);
  CHECK(FindValue(families, "silicon_cpu_seconds_total", {{"cpu", "0"}, {"core_type", "efficiency"}}));
  CHECK(FindValue(families, "silicon_cpu_seconds_total", {{"cpu", "4"}, {"core_type", "performance"}}));
  CHECK(FindValue(families, "silicon_cpu_frequency_hertz", {{"cpu", "4"}}) == Approx(3.204e9));
  CHECK(FindValue(families, "silicon_cpu_info", {{"model", "Apple MacBook Air (M1, 2020)"}}) == 1);
}

TEST_CASE("plain VM: every core unknown, no frequency family", "[cpu][fixture]") {
  const auto families = CpuCollector(FixturePaths("x86-vm")).Collect();
  CHECK(FindValue(families, "silicon_cpu_cores", {{"core_type", "unknown"}}) == 2);
  CHECK(CountSamples(families, "silicon_cpu_frequency_hertz") == 0);
  CHECK(FindValue(families, "silicon_cpu_seconds_total", {{"cpu", "1"}, {"mode", "steal"}}) == Approx(2.12));
  CHECK(FindValue(families, "silicon_cpu_info", {{"model", "AMD EPYC 7B13"}}) == 1);
}

TEST_CASE("a procfs without /proc/stat fails the collector with a clear message", "[cpu][bad-input][linux]") {
  HostPaths paths = FixturePaths("x86-vm");
  paths.procfs = "/nonexistent/proc";
  CpuCollector collector(paths);
  CHECK_THROWS_WITH(collector.Collect(), Catch::Contains("cannot read /nonexistent/proc/stat"));
}

TEST_CASE("CPU mapping without load or frequency emits only what it has", "[cpu]") {
  CpuSample sample;
  sample.cores.push_back({0, "super", {{"user", 1.5}}, std::nullopt, std::nullopt, std::nullopt});
  const auto families = CpuFamilies(sample);
  CHECK(FindValue(families, "silicon_cpu_seconds_total", {{"core_type", "super"}}) == 1.5);
  CHECK(FindValue(families, "silicon_cpu_info", {{"model", "unknown"}, {"arch", "unknown"}}) == 1);
  CHECK(CountSamples(families, "silicon_load1") == 0);
  CHECK(CountSamples(families, "silicon_cpu_guest_seconds_total") == 0);
}
