#include "tests/unit/catch.h"

#include "collectors/gpu/accelerator_stats.h"
#include "collectors/gpu/gpu_collector.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::CountSamples;
using silicon::test::FindValue;

TEST_CASE("M3 Max IOAccelerator statistics", "[darwin][gpu]") {
  AcceleratorStats stats;
  stats.model = "Apple M3 Max";
  stats.class_name = "AGXAcceleratorG15X";
  stats.gpu_core_count = 40;
  stats.device_utilization_percent = 63;
  stats.in_use_system_memory = 3221225472;
  stats.alloc_system_memory = 6442450944;
  const auto families = GpuFamilies({GpuDeviceFromAccelerator(stats)});
  CHECK(FindValue(families, "silicon_gpu_info",
                  {{"vendor", "apple"}, {"name", "Apple M3 Max"}, {"cores", "40"}, {"driver", "AGXAcceleratorG15X"}}) == 1);
  CHECK(FindValue(families, "silicon_gpu_utilization_ratio") == Approx(0.63));
  CHECK(FindValue(families, "silicon_gpu_memory_used_bytes") == 3221225472.0);
  CHECK(CountSamples(families, "silicon_gpu_memory_total_bytes") == 0);  // unified memory: no GPU total
  CHECK(CountSamples(families, "silicon_gpu_power_watts") == 0);         // needs IOReport: not read
}

TEST_CASE("IOAccelerator with missing or odd keys", "[darwin][gpu][bad-input]") {
  AcceleratorStats bare;
  bare.class_name = "AGXAcceleratorG13G";
  const auto d = GpuDeviceFromAccelerator(bare);
  CHECK(d.name == "AGXAcceleratorG13G");
  CHECK_FALSE(d.cores);
  CHECK_FALSE(d.utilization_ratio);
  AcceleratorStats odd;
  odd.device_utilization_percent = 250;
  odd.gpu_core_count = -1;
  odd.in_use_system_memory = -5;
  const auto o = GpuDeviceFromAccelerator(odd);
  CHECK(o.utilization_ratio == 1.0);
  CHECK_FALSE(o.cores);
  CHECK_FALSE(o.memory_used_bytes);
}
