#include "tests/unit/catch.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "collectors/cpu/cpu_collector.h"
#include "collectors/cpu/darwin_core_types.h"
#include "collectors/disk/darwin_block_storage.h"
#include "collectors/disk/disk_collector.h"
#include "collectors/filesystem/darwin_statfs.h"
#include "collectors/filesystem/filesystem_collector.h"
#include "collectors/gpu/accelerator_stats.h"
#include "collectors/gpu/gpu_collector.h"
#include "collectors/memory/darwin_vm_stats.h"
#include "collectors/memory/memory_collector.h"
#include "collectors/network/darwin_interface_data.h"
#include "collectors/network/network_collector.h"
#include "collectors/power/ioreport_mapping.h"
#include "collectors/power/power_collector.h"
#include "collectors/power_supply/darwin_power_source.h"
#include "collectors/power_supply/power_supply_collector.h"
#include "collectors/thermal/hid_temperatures.h"
#include "collectors/thermal/thermal_collector.h"
#include "core/scrape_collectable.h"
#include "exporter/text_format.h"
#include "tests/unit/ioreport_samples.h"
#include "tests/unit/m3_max_samples.h"
#include "tests/unit/test_support.h"

// The exposition of a 16-core M3 Max MacBook Pro (12 performance + 4 efficiency cores, 40-core GPU,
// 48 GB) as the macOS readers would hand it over, built through the same converters and collectors
// (samples shaped from APPLE_FACTS.md, not read on a Mac). It is compared with
// tests/golden/m3-max.prom (UPDATE_GOLDEN=1 rewrites it); the live page's test serves that file
// to draw a Mac, and dashboards can be checked against it.
using namespace silicon;

namespace {

class Fixed : public Collector {
 public:
  explicit Fixed(Families families) : families_(std::move(families)) {}
  Families Collect() override { return families_; }

 private:
  Families families_;
};

CpuSample M3MaxCpu() {
  DarwinCpuTopology topology;
  topology.ncpu = 16;
  topology.perf_levels = {{"Performance", 12, 6}, {"Efficiency", 4, 4}};
  for (int cpu = 0; cpu < 16; ++cpu) topology.cluster_type_by_cpu[cpu] = cpu < 4 ? 'E' : 'P';
  const auto types = DarwinCoreTypes(topology);
  CpuSample sample;
  sample.model = "Apple M3 Max";
  sample.arch = "arm64";
  sample.load = LoadAverage{4.21, 3.87, 3.02};
  for (int cpu = 0; cpu < 16; ++cpu) {
    // host_processor_info ticks (100 per second) after ~3 h up: busier P cores, idler E cores.
    const double user = cpu < 4 ? 1250.37 : 2893.61 + cpu, system = cpu < 4 ? 610.2 : 1204.55;
    const double idle = cpu < 4 ? 8921.4 : 6702.88 - cpu;
    sample.cores.push_back({cpu, types.at(cpu), {{"user", user}, {"nice", 0}, {"system", system}, {"idle", idle}},
                            std::nullopt, std::nullopt, std::nullopt});
  }
  return sample;
}

std::string M3MaxExposition() {
  AcceleratorStats gpu;
  gpu.model = "Apple M3 Max";
  gpu.class_name = "AGXAcceleratorG15X";
  gpu.gpu_core_count = 40;
  gpu.device_utilization_percent = 37;
  gpu.in_use_system_memory = 3221225472;
  gpu.alloc_system_memory = 6442450944;
  ThermalSample thermal;
  thermal.os_thermal_state = 0;
  thermal.os_pressure_level = 0;
  thermal.temperatures = TemperaturesFromHid({{"PMU tdie1", 48.25},
                                              {"PMU tdie2", 51.75},
                                              {"pACC MTR Temp Sensor0", 56.5},
                                              {"pACC MTR Temp Sensor1", 7.5},  // parked: dropped
                                              {"eACC MTR Temp Sensor0", 44.0},
                                              {"GPU MTR Temp Sensor1", 49.75},
                                              {"NAND CH0 temp", 36.0},
                                              {"gas gauge battery", 31.25}});
  thermal.fans = {{"smc", "fan0", 2310}, {"smc", "fan1", 2287}};  // the 16-inch MacBook Pro has two
  // Ten minutes of IOReport samples, once a second, as the sampler thread adds them up.
  SocActivityTotals soc(test::M3MaxTables());
  for (int second = 0; second < 600; ++second) soc.Add(test::M3MaxSecond(), 1.0);
  PowerSample power = soc.Totals();
  power.system_power_watts = 38.5;
  power.sampler_samples = 600;
  power.sampler_busy_seconds = 5.4;  // ~9 ms a sample, as other tools report: not measured on a Mac
  DarwinPowerSource battery{"InternalBattery-0", "InternalBattery", "Battery Power", true, 81, 100, 412};
  DarwinSmartBattery smart_battery{87, 8579, 8064, 8100, {}};
  DiskSample disks;
  disks.disks.push_back(*DiskStatsFromBlockStorage(
      {"disk0", 412316860416, 298500456448, 9873412, 6102345, 1846000000000, 2210500000000}));
  NetworkSample network;
  network.interfaces = {CountersFromData64({"lo0", 912445821, 1204433, 0, 0, 912445821, 1204433, 0, 0}),
                        CountersFromData64({"en0", 6442450944ULL, 4800000, 2, 11, 1073741824ULL, 900000, 0, 5})};
  FilesystemSample filesystems;
  filesystems.filesystems = {
      FilesystemFromStatfs({"/dev/disk3s1s1", "/", "apfs", true, 4096, 242837545, 120000000, 120000000, 4294967295ULL,
                            4290000000ULL}),
      FilesystemFromStatfs({"/dev/disk3s5", "/System/Volumes/Data", "apfs", false, 4096, 242837545, 120000000,
                            120000000, 4294967295ULL, 4290000000ULL})};

  std::vector<NamedCollector> collectors;
  const auto add = [&](const char* name, Families families) {
    collectors.push_back({name, std::make_unique<Fixed>(std::move(families))});
  };
  add("cpu", CpuFamilies(M3MaxCpu()));
  auto vm = test::M3Max48GB();
  vm.pressure_level = 1;  // normal
  add("memory", MemoryFamilies(MemorySampleFromDarwin(vm), {}));
  add("thermal", ThermalFamilies(thermal, {}));
  add("disk", DiskFamilies(disks, NameFilter("")));
  add("filesystem", FilesystemFamilies(filesystems));
  add("network", NetworkFamilies(network, NameFilter("")));
  add("gpu", GpuFamilies({GpuDeviceFromAccelerator(gpu)}));
  add("power", PowerFamilies(power));
  add("power_supply", PowerSupplyFamilies(PowerSupplyFromDarwin(battery, smart_battery)));
  ScrapeCollectable scrape(std::move(collectors));
  std::string text;
  AppendTextFormat(text, scrape.Collect());
  // Timings differ run to run: left out, as the golden test leaves them out of every scrape.
  std::istringstream in(text);
  std::string line, stable;
  while (std::getline(in, line)) {
    if (line.find("silicon_scrape_collector_duration_seconds") == std::string::npos) stable += line + "\n";
  }
  return stable;
}

}  // namespace

TEST_CASE("an M3 Max's exposition, built through the macOS converters, is the golden one", "[darwin][golden]") {
  const std::string golden_path = std::string(SILICON_FIXTURES) + "/../golden/m3-max.prom";
  const auto text = M3MaxExposition();
  if (const char* update = std::getenv("UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
    std::ofstream(golden_path) << text;
  }
  std::ifstream in(golden_path);
  REQUIRE(in);
  std::stringstream golden;
  golden << in.rdbuf();
  CHECK(text == golden.str());
  // The shape that matters for a Mac: 12 performance and 4 efficiency cores, the 40-core GPU.
  CHECK(text.find("silicon_cpu_cores{core_type=\"performance\"} 12") != std::string::npos);
  CHECK(text.find("silicon_cpu_cores{core_type=\"efficiency\"} 4") != std::string::npos);
  CHECK(text.find("cores=\"40\"") != std::string::npos);
  CHECK(text.find("silicon_cpu_cluster_cycles_total{cluster=\"PCPU1\",core_type=\"performance\"}") != std::string::npos);
  CHECK(text.find("silicon_energy_joules_total{domain=\"cpu\"} 5880.0") != std::string::npos);  // 9.8 J/s for 600 s
}
