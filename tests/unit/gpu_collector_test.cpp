#include "tests/unit/catch.h"

#include <stdexcept>

#include "collectors/gpu/gpu_collector.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::CountSamples;
using silicon::test::FindValue;

namespace {

class FakeBackend : public GpuBackend {
 public:
  explicit FakeBackend(std::vector<GpuDevice> devices, bool fail = false) : devices_(std::move(devices)), fail_(fail) {}
  const char* Name() const override { return "fake"; }
  std::vector<GpuDevice> Read() override {
    if (fail_) throw std::runtime_error("driver wedged");
    return devices_;
  }

 private:
  std::vector<GpuDevice> devices_;
  bool fail_;
};

GpuDevice H100() {
  GpuDevice d;
  d.vendor = "nvidia";
  d.name = "NVIDIA H100 80GB HBM3";
  d.uuid = "GPU-0b1c";
  d.driver = "580.65.06";
  d.pci_bus_id = "00000000:18:00.0";
  d.utilization_ratio = 0.97;
  d.memory_used_bytes = 40e9;
  d.memory_total_bytes = 85e9;
  d.frequency_hertz = {{"sm", 1.98e9}, {"memory", 2.619e9}};
  d.power_watts = 612.5;
  d.energy_joules = 123456.789;
  d.temperature_celsius = 61;
  d.throttle_reasons = {{"gpu_idle", false}, {"sw_power_cap", true}};
  return d;
}


}  // namespace

TEST_CASE("GPU families from a fake backend", "[gpu]") {
  std::vector<std::unique_ptr<GpuBackend>> backends;
  backends.push_back(std::make_unique<FakeBackend>(std::vector<GpuDevice>{H100()}));
  GpuCollector collector(std::move(backends));
  const auto families = collector.Collect();
  CHECK(FindValue(families, "silicon_gpu_info",
                  {{"gpu", "0"}, {"vendor", "nvidia"}, {"name", "NVIDIA H100 80GB HBM3"}}) == 1);
  // NVML gives no core count: no cores label (an empty one was exported before).
  CHECK_FALSE(FindValue(families, "silicon_gpu_info", {{"cores", ""}}));
  CHECK(FindValue(families, "silicon_gpu_utilization_ratio", {{"gpu", "0"}}) == 0.97);
  CHECK(FindValue(families, "silicon_gpu_frequency_hertz", {{"gpu", "0"}, {"clock", "sm"}}) == 1.98e9);
  CHECK(FindValue(families, "silicon_gpu_energy_joules_total", {{"gpu", "0"}}) == 123456.789);
  CHECK(FindValue(families, "silicon_gpu_throttle_reasons", {{"reason", "sw_power_cap"}}) == 1);
  CHECK(FindValue(families, "silicon_gpu_throttle_reasons", {{"reason", "gpu_idle"}}) == 0);
  CHECK(CountSamples(families, "silicon_gpu_fan_speed_ratio") == 0);  // no fan: no series, not a zero
}

TEST_CASE("a failing GPU backend does not hide the others, all failing is an error", "[gpu][bad-input]") {
  std::vector<std::unique_ptr<GpuBackend>> backends;
  backends.push_back(std::make_unique<FakeBackend>(std::vector<GpuDevice>{}, true));
  backends.push_back(std::make_unique<FakeBackend>(std::vector<GpuDevice>{H100(), H100()}));
  const auto families = GpuCollector(std::move(backends)).Collect();
  CHECK(CountSamples(families, "silicon_gpu_info") == 2);
  CHECK(FindValue(families, "silicon_gpu_info", {{"gpu", "1"}}) == 1);

  std::vector<std::unique_ptr<GpuBackend>> broken;
  broken.push_back(std::make_unique<FakeBackend>(std::vector<GpuDevice>{}, true));
  CHECK_THROWS_WITH(GpuCollector(std::move(broken)).Collect(), Catch::Contains("driver wedged"));

  std::vector<std::unique_ptr<GpuBackend>> empty;
  empty.push_back(std::make_unique<FakeBackend>(std::vector<GpuDevice>{}));
  CHECK_THROWS_AS(GpuCollector(std::move(empty)).Collect(), NoDataError);
}

TEST_CASE("identity a GPU backend does not know is left out, not an empty label", "[gpu]") {
  GpuDevice apple;
  apple.vendor = "apple";
  apple.name = "Apple M3 Max";
  apple.driver = "AGXAcceleratorG15X";
  const auto families = GpuFamilies({apple});
  for (const auto& family : families) {
    if (family.name != "silicon_gpu_info") continue;
    REQUIRE(family.metric.size() == 1);
    for (const auto& label : family.metric[0].label) {
      CHECK_FALSE(label.value.empty());
      CHECK(label.name != "uuid");
      CHECK(label.name != "cores");
    }
  }
  CHECK(FindValue(families, "silicon_gpu_info", {{"vendor", "apple"}, {"name", "Apple M3 Max"}}) == 1);
}
