#include "tests/unit/catch.h"

#include "collectors/memory/memory_collector.h"
#include "collectors/pressure/pressure_collector.h"
#include "collectors/thermal/thermal_collector.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::CountSamples;
using silicon::test::FindValue;
using silicon::test::FixturePaths;

namespace {
MemorySample WithPsi(double some_avg10, double full_avg10) {
  MemorySample sample;
  sample.memory_psi = PsiStats{PsiLine{some_avg10, 0, 0, 0}, PsiLine{full_avg10, 0, 0, 0}};
  return sample;
}
}  // namespace

TEST_CASE("memory pressure level from PSI thresholds", "[memory]") {
  const MemoryPressureOptions defaults;  // warning: some >= 10 %, critical: full >= 5 %
  CHECK(MemoryPressureLevel(WithPsi(0, 0), defaults) == 0);
  CHECK(MemoryPressureLevel(WithPsi(9.99, 4.99), defaults) == 0);
  CHECK(MemoryPressureLevel(WithPsi(10, 0), defaults) == 1);
  CHECK(MemoryPressureLevel(WithPsi(80, 4.99), defaults) == 1);
  CHECK(MemoryPressureLevel(WithPsi(0, 5), defaults) == 2);
  CHECK(MemoryPressureLevel(MemorySample{}, defaults) == std::nullopt);
  MemoryPressureOptions strict;
  strict.warning_some_percent = 1;
  strict.critical_full_percent = 2;
  CHECK(MemoryPressureLevel(WithPsi(1.5, 0), strict) == 1);
  CHECK(MemoryPressureLevel(WithPsi(1.5, 2.5), strict) == 2);
}

TEST_CASE("memory pressure level from the macOS kernel", "[memory]") {
  MemorySample sample = WithPsi(99, 99);  // the kernel's own level wins over anything derived
  sample.kernel_pressure_level = 1;
  CHECK(MemoryPressureLevel(sample, {}) == 0);
  sample.kernel_pressure_level = 2;
  CHECK(MemoryPressureLevel(sample, {}) == 1);
  sample.kernel_pressure_level = 4;
  CHECK(MemoryPressureLevel(sample, {}) == 2);
  sample.kernel_pressure_level = 3;  // not a level xnu defines
  CHECK(MemoryPressureLevel(sample, {}) == std::nullopt);
}

TEST_CASE("laptop fixture: memory with zswap and zram, swap traffic", "[memory][fixture]") {
  const auto families = MemoryCollector(FixturePaths("intel-hybrid"), {}).Collect();
  CHECK(FindValue(families, "silicon_memory_total_bytes") == 32567560.0 * 1024);
  CHECK(FindValue(families, "silicon_memory_used_bytes") == (32567560.0 - 18233400.0) * 1024);
  CHECK(FindValue(families, "silicon_memory_cached_bytes") == (6100200.0 + 8800100.0) * 1024);
  // zswap pool (120400 kB) + zram0 mem_used_total (140000000 bytes).
  CHECK(FindValue(families, "silicon_memory_compressed_bytes") == 120400.0 * 1024 + 140000000.0);
  CHECK(FindValue(families, "silicon_swap_used_bytes") == (16777212.0 - 15700000.0) * 1024);
  CHECK(FindValue(families, "silicon_memory_pressure_level") == 0);
  CHECK(CountSamples(families, "silicon_memory_wired_bytes") == 0);  // Linux has no honest equivalent
}

TEST_CASE("a box without PSI, zswap or zram: no pressure level, no compressed", "[memory][fixture]") {
  const auto families = MemoryCollector(FixturePaths("asahi-m1"), {}).Collect();
  CHECK(FindValue(families, "silicon_memory_total_bytes"));
  CHECK(CountSamples(families, "silicon_memory_pressure_level") == 0);
  CHECK(CountSamples(families, "silicon_memory_compressed_bytes") == 0);
  CHECK_THROWS_AS(PressureCollector(FixturePaths("asahi-m1")).Collect(), NoDataError);
}

TEST_CASE("server fixture without thermal zones or hwmon: thermal says no data", "[thermal][fixture]") {
  CHECK_THROWS_AS(ThermalCollector(FixturePaths("x86-vm"), {}).Collect(), NoDataError);
}

TEST_CASE("laptop fixture: zones, hwmon chips, fans, unreadable sensors skipped", "[thermal][fixture]") {
  const auto families = ThermalCollector(FixturePaths("intel-hybrid"), {}).Collect();
  CHECK(FindValue(families, "silicon_temperature_celsius", {{"chip", "x86_pkg_temp"}, {"sensor", "thermal_zone2"}}) ==
        61);
  CHECK(FindValue(families, "silicon_temperature_celsius", {{"chip", "coretemp"}, {"sensor", "Package id 0"}}) == 61);
  // Two chips called nvme get their device names appended.
  CHECK(FindValue(families, "silicon_temperature_celsius", {{"chip", "nvme_nvme0"}, {"sensor", "Composite"}}) ==
        Approx(38.85));
  CHECK(FindValue(families, "silicon_temperature_celsius", {{"chip", "nvme_nvme1"}, {"sensor", "Composite"}}) ==
        Approx(33.85));
  CHECK(FindValue(families, "silicon_fan_speed_rpm", {{"chip", "thinkpad"}, {"fan", "fan1"}}) == 2450);
  // iwlwifi's temp1_input cannot be read (the fixture makes it a folder): skipped, not fatal.
  CHECK_FALSE(FindValue(families, "silicon_temperature_celsius", {{"chip", "iwlwifi_1"}}));
  CHECK(FindValue(families, "silicon_thermal_state") == 0);
}

TEST_CASE("configured thresholds turn the laptop fixture serious", "[thermal][fixture]") {
  ThermalOptions options;
  options.serious_celsius = 60;  // coretemp and x86_pkg_temp read 61
  const auto families = ThermalCollector(FixturePaths("intel-hybrid"), options).Collect();
  CHECK(FindValue(families, "silicon_thermal_state") == 2);
}
