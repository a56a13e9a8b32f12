#include "tests/unit/catch.h"

#include "collectors/gpu/drm_backend.h"
#include "collectors/gpu/nvml_backend.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::FixturePaths;

TEST_CASE("NVML absent (no driver, as in CI): no GPUs, no error, one try", "[gpu][linux]") {
  NvmlBackend missing("libnvidia-ml-that-does-not-exist.so.1");
  CHECK(missing.Read().empty());
  CHECK(missing.Read().empty());
  NvmlBackend not_nvml("libc.so.6");  // loads, but has no NVML functions
  CHECK(not_nvml.Read().empty());
}

TEST_CASE("DRM: amdgpu card with hwmon, virtio card skipped", "[gpu][fixture]") {
  const auto devices = DrmBackend(FixturePaths("amd-desktop")).Read();
  REQUIRE(devices.size() == 1);
  const auto& d = devices[0];
  CHECK(d.vendor == "amd");
  CHECK(d.name == "AMD Radeon RX 6800 XT");
  CHECK(d.driver == "amdgpu");
  CHECK(d.pci_bus_id == "0000:03:00.0");
  CHECK(d.uuid == "7c1f0b2a3d4e5f60");
  CHECK(d.utilization_ratio == Approx(0.37));
  CHECK(d.memory_used_bytes == 2147483648.0);
  CHECK(d.memory_total_bytes == 17163091968.0);
  CHECK(d.temperature_celsius == 54);
  CHECK(d.power_watts == Approx(87));
  CHECK(d.frequency_hertz.at("graphics") == 2.25e9);
  CHECK(d.frequency_hertz.at("memory") == 1e9);
  CHECK(d.fan_speed_ratio == Approx(0.4));
  CHECK_FALSE(d.energy_joules);
}

TEST_CASE("DRM: Intel iGPU has a clock and nothing it cannot report", "[gpu][fixture]") {
  const auto devices = DrmBackend(FixturePaths("intel-hybrid")).Read();
  REQUIRE(devices.size() == 1);
  CHECK(devices[0].vendor == "intel");
  CHECK(devices[0].driver == "i915");
  CHECK(devices[0].name == "8086:46A6");
  CHECK(devices[0].frequency_hertz.at("graphics") == 1.25e9);
  CHECK_FALSE(devices[0].utilization_ratio);
  CHECK_FALSE(devices[0].memory_total_bytes);
}

TEST_CASE("DRM: no GPU at all", "[gpu][fixture]") {
  CHECK(DrmBackend(FixturePaths("x86-vm")).Read().empty());
}
