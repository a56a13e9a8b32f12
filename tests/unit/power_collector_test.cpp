#include "tests/unit/catch.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "collectors/power/energy_counter.h"
#include "collectors/power/ioreport_mapping.h"
#include "collectors/power/power_collector.h"
#include "tests/unit/ioreport_samples.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using namespace silicon::test;

namespace {

const EnergyCounter* Domain(const PowerSample& sample, const std::string& domain) {
  for (const auto& counter : sample.energy) {
    if (counter.domain == domain) return &counter;
  }
  return nullptr;
}

const ClusterActivity* FindCluster(const PowerSample& sample, const std::string& name) {
  for (const auto& cluster : sample.clusters) {
    if (cluster.cluster == name) return &cluster;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("voltage-state tables: Hz before M4, kHz from M4 on, the off entry dropped", "[power][darwin]") {
  CHECK(VoltageStateFrequenciesHz(VoltageStates({600000000, 2064000000})) == std::vector<double>{600e6, 2064e6});
  CHECK(VoltageStateFrequenciesHz(VoltageStates({1020000, 2892000})) == std::vector<double>{1020e6, 2892e6});
  CHECK(VoltageStateFrequenciesHz(VoltageStates({0, 396000000})) == std::vector<double>{396e6});
  CHECK(VoltageStateFrequenciesHz({}).empty());
  auto odd = VoltageStates({600000000});
  odd.resize(odd.size() + 5, 0xff);  // a torn last pair is ignored
  CHECK(VoltageStateFrequenciesHz(odd) == std::vector<double>{600e6});
}

TEST_CASE("energy channels: domains by name, units by label, per-block channels left out", "[power][darwin]") {
  CHECK(EnergyDomain("CPU Energy") == "cpu");
  CHECK(EnergyDomain("DIE_1_CPU Energy") == "cpu");
  CHECK(EnergyDomain("GPU Energy") == "gpu");
  CHECK(EnergyDomain("GPU SRAM") == "gpu_sram");
  CHECK(EnergyDomain("ANE") == "ane");
  CHECK(EnergyDomain("ANE0_1") == "ane");
  CHECK(EnergyDomain("DIE_0_DRAM") == "dram");
  CHECK_FALSE(EnergyDomain("EACC_CPU"));
  CHECK_FALSE(EnergyDomain("PCPU0"));
  CHECK_FALSE(EnergyDomain("DIE_"));
  CHECK(Joules(1500, "mJ") == Approx(1.5));
  CHECK(Joules(1500, "uJ") == Approx(0.0015));
  CHECK(Joules(1500, "nJ") == Approx(1.5e-6));
  CHECK_FALSE(Joules(1500, "pJ"));
}

TEST_CASE("M1: one second of IOReport deltas becomes energy, cluster and GPU totals", "[power][darwin]") {
  SocActivityTotals totals(M1Tables());
  totals.Add(M1Second(), 1.0);
  auto sample = totals.Totals();
  REQUIRE(sample.energy.size() == 5);
  CHECK(Domain(sample, "cpu")->joules == Approx(1.2));  // EACC_CPU, PACC_CPU, PCPU0 not added on top
  CHECK(Domain(sample, "gpu")->joules == Approx(0.3));
  CHECK(Domain(sample, "dram")->joules == Approx(0.45));
  CHECK(Domain(sample, "gpu_sram")->joules == Approx(0.02));
  CHECK(Domain(sample, "ane")->joules == 0);
  CHECK(Domain(sample, "cpu")->zone.empty());

  REQUIRE(sample.clusters.size() == 2);  // ECPU0 of the per-core subgroup is no cluster
  const auto* e = FindCluster(sample, "ECPU");
  CHECK(e->core_type == "efficiency");
  CHECK(e->active_seconds == Approx(0.5));
  // 0.1 s in each state: 0.1 * (600 + 972 + 1332 + 1704 + 2064) MHz.
  CHECK(*e->cycles == Approx(667.2e6));
  CHECK(*e->cycles / e->active_seconds == Approx(1334.4e6));  // what rate(cycles)/rate(active) shows
  const auto* p = FindCluster(sample, "PCPU");
  CHECK(p->core_type == "performance");
  CHECK(p->active_seconds == Approx(0.1));
  CHECK(*p->cycles / p->active_seconds == Approx(3204e6));
  REQUIRE(sample.gpus.size() == 1);
  CHECK(sample.gpus[0].gpu == "0");
  CHECK(sample.gpus[0].active_seconds == Approx(0.2));
  CHECK(*sample.gpus[0].cycles / sample.gpus[0].active_seconds == Approx(1278e6));

  totals.Add(M1Second(), 1.0);  // totals only grow
  sample = totals.Totals();
  CHECK(Domain(sample, "cpu")->joules == Approx(2.4));
  CHECK(FindCluster(sample, "ECPU")->active_seconds == Approx(1.0));
}

TEST_CASE("residency shares scale with the wall time a sample covered", "[power][darwin]") {
  SocActivityTotals totals(M1Tables());
  totals.Add(M1Second(), 2.5);  // the sampler ran late: the same shares over 2.5 s
  const auto sample = totals.Totals();
  CHECK(FindCluster(sample, "ECPU")->active_seconds == Approx(1.25));
  CHECK(Domain(sample, "cpu")->joules == Approx(1.2));  // energy is a delta already
}

TEST_CASE("M2 Ultra: both dies' energy summed, six clusters on two dies", "[power][darwin]") {
  SocActivityTotals totals(M1Tables());
  totals.Add(M2UltraSecond(), 1.0);
  const auto sample = totals.Totals();
  CHECK(Domain(sample, "cpu")->joules == Approx(4.0));
  CHECK(Domain(sample, "ane")->joules == Approx(0.015));
  CHECK(Domain(sample, "dram")->joules == Approx(1.35));
  REQUIRE(sample.clusters.size() == 6);
  int efficiency = 0, performance = 0;
  for (const auto& cluster : sample.clusters) {
    (cluster.core_type == "efficiency" ? efficiency : performance) += 1;
    CHECK(cluster.active_seconds == Approx(0.5));
  }
  CHECK(efficiency == 2);
  CHECK(performance == 4);
}

TEST_CASE("M3 Max: nJ energy, two P clusters and the 40-core GPU", "[power][darwin]") {
  SocActivityTotals totals(M3MaxTables());
  totals.Add(M3MaxSecond(), 1.0);
  const auto sample = totals.Totals();
  CHECK(Domain(sample, "cpu")->joules == Approx(9.8));
  CHECK(Domain(sample, "gpu")->joules == Approx(4.1));
  CHECK(Domain(sample, "ane")->joules == 0);
  REQUIRE(sample.clusters.size() == 3);
  CHECK(*FindCluster(sample, "PCPU")->cycles / FindCluster(sample, "PCPU")->active_seconds == Approx(4056e6));
  CHECK(FindCluster(sample, "PCPU1")->core_type == "performance");
  CHECK(*FindCluster(sample, "PCPU1")->cycles / FindCluster(sample, "PCPU1")->active_seconds == Approx(2172e6));
  CHECK(FindCluster(sample, "ECPU")->active_seconds == Approx(0.6));
  CHECK(sample.gpus[0].active_seconds == Approx(0.37));
  CHECK(*sample.gpus[0].cycles / sample.gpus[0].active_seconds == Approx(1380e6));
}

TEST_CASE("M4: kHz tables, DOWN and IDLE both skipped, an idle GPU at zero", "[power][darwin]") {
  SocActivityTotals totals(M4Tables());
  totals.Add(M4Second(), 1.0);
  const auto sample = totals.Totals();
  CHECK(Domain(sample, "ane")->joules == Approx(0.25));
  CHECK(Domain(sample, "cpu")->joules == Approx(3.5));
  CHECK(FindCluster(sample, "ECPU")->active_seconds == Approx(1.0));
  CHECK(*FindCluster(sample, "ECPU")->cycles == Approx(2892e6));
  CHECK(FindCluster(sample, "PCPU")->active_seconds == Approx(0.25));
  CHECK(*FindCluster(sample, "PCPU")->cycles == Approx(0.25 * 4392e6));
  CHECK(sample.gpus[0].active_seconds == 0);
  CHECK(*sample.gpus[0].cycles == 0);
}

TEST_CASE("odd IOReport input: no division by zero, no negative totals, unknown units told", "[power][darwin][bad-input]") {
  SocActivityTotals totals(SocFrequencyTables{});  // no pmgr tables: activity without cycles
  totals.Add({Energy("CPU Energy", "mJ", -50),                             // a counter that restarted
              Energy("DRAM", "pJ", 10),                                    // a unit we do not know
              Cluster("ECPU", {{"IDLE", 0}, {"V0P", 0}}),                  // nothing at all
              Cluster("PCPU", Residencies({{"IDLE", -5}}, {-1, 100})),     // negative residencies
              Cluster("ACC", Residencies({{"IDLE", 1}}, {1})),             // no CPU in the name
              Cluster("ECPU", Residencies({{"IDLE", 100}}, {100}))},       // counts
             1.0);
  totals.Add(M1Second(), 0);  // zero elapsed: energy counts, residencies cannot be placed in time
  const auto sample = totals.Totals();
  CHECK(Domain(sample, "cpu")->joules == Approx(1.2));
  CHECK_FALSE(Domain(sample, "dram") == nullptr);  // M1's mJ DRAM counted; the pJ one was not
  CHECK(Domain(sample, "dram")->joules == Approx(0.45));
  CHECK(totals.UnknownUnits() == std::set<std::string>{"pJ"});
  CHECK(FindCluster(sample, "ECPU")->active_seconds == Approx(0.5));
  CHECK_FALSE(FindCluster(sample, "ECPU")->cycles);
  CHECK(FindCluster(sample, "PCPU")->active_seconds == Approx(1.0));
  CHECK_FALSE(FindCluster(sample, "ACC"));
}

TEST_CASE("active state i runs at table entry i; states past the table are active without cycles", "[power][darwin]") {
  SocFrequencyTables tables;
  tables.cpu_hz['E'] = {1e9, 2e9, 3e9, 4e9, 5e9};
  SocActivityTotals totals(tables);
  totals.Add({Cluster("ECPU", Residencies({{"IDLE", 0}}, {100, 100, 100}))}, 3.0);
  const auto* e = FindCluster(totals.Totals(), "ECPU");
  REQUIRE(e);
  CHECK(e->active_seconds == Approx(3.0));
  CHECK(*e->cycles == Approx(1e9 + 2e9 + 3e9));  // the first three entries, no spreading over the range
  SocActivityTotals longer(tables);  // seven states, five entries: the last two have no frequency
  longer.Add({Cluster("ECPU", Residencies({{"IDLE", 0}}, {0, 0, 0, 0, 100, 100, 100}))}, 3.0);
  const auto* l = FindCluster(longer.Totals(), "ECPU");
  CHECK(l->active_seconds == Approx(3.0));
  CHECK(*l->cycles == Approx(5e9));
}

TEST_CASE("power families: counters by domain, cluster and GPU, and the sampler's cost", "[power]") {
  SocActivityTotals totals(M3MaxTables());
  totals.Add(M3MaxSecond(), 1.0);
  auto sample = totals.Totals();
  sample.system_power_watts = 38.5;
  sample.sampler_samples = 60;
  sample.sampler_busy_seconds = 0.54;
  const auto families = PowerFamilies(sample);
  CHECK(FindValue(families, "silicon_energy_joules_total", {{"domain", "cpu"}}) == Approx(9.8));
  CHECK(FindValue(families, "silicon_cpu_cluster_active_seconds_total",
                  {{"cluster", "PCPU1"}, {"core_type", "performance"}}) == Approx(0.1));
  CHECK(CountSamples(families, "silicon_cpu_cluster_cycles_total") == 3);
  CHECK(FindValue(families, "silicon_gpu_active_seconds_total", {{"gpu", "0"}}) == Approx(0.37));
  CHECK(FindValue(families, "silicon_system_power_watts") == 38.5);
  CHECK(FindValue(families, "silicon_power_sampler_busy_seconds_total") == Approx(0.54));
  CHECK_THROWS_AS(PowerFamilies(PowerSample{}), NoDataError);
}

TEST_CASE("a wrapping energy counter keeps growing", "[power]") {
  EnergyCounter64 counter;
  const std::uint64_t range = 262143328850;  // a common max_energy_range_uj
  CHECK(counter.Update(262000000000, range) == Approx(262000.0));
  CHECK(counter.Update(262100000000, range) == Approx(262100.0));
  // Wrapped: 43.33 J to the top, then 5 J from zero.
  CHECK(counter.Update(5000000, range) == Approx(262143.32885 + 5.0));
  CHECK(counter.Update(6000000, range) == Approx(262143.32885 + 6.0));
  EnergyCounter64 no_range;
  no_range.Update(1000000, std::nullopt);
  CHECK(no_range.Update(500000, std::nullopt) == Approx(1.5));  // taken as restarted from zero
}

TEST_CASE("RAPL zones of a laptop: package, core, uncore, psys; the mmio copy left out", "[power][linux][fixture]") {
  PowerReader reader(FixturePaths("intel-hybrid"), {});
  const auto families = PowerFamilies(reader.Read());
  CHECK(CountSamples(families, "silicon_energy_joules_total") == 4);
  CHECK(FindValue(families, "silicon_energy_joules_total", {{"domain", "package-0"}, {"zone", "intel-rapl:0"}}) ==
        Approx(71234.567891));
  CHECK(FindValue(families, "silicon_energy_joules_total", {{"domain", "core"}, {"zone", "intel-rapl:0:0"}}));
  CHECK(FindValue(families, "silicon_energy_joules_total", {{"domain", "psys"}, {"zone", "intel-rapl:1"}}));
  PowerReader none(FixturePaths("x86-vm"), {});
  CHECK_THROWS_AS(PowerFamilies(none.Read()), NoDataError);
}

TEST_CASE("RAPL wrap-around between two scrapes is carried, not a reset", "[power][linux]") {
  const auto root = std::filesystem::temp_directory_path() / ("silicon-rapl-" + std::to_string(getpid()));
  const auto zone = root / "class" / "powercap" / "intel-rapl:0";
  std::filesystem::create_directories(zone);
  const auto write = [&zone](const char* file, const char* text) { std::ofstream(zone / file) << text; };
  write("name", "package-0\n");
  write("max_energy_range_uj", "262143328850\n");
  write("energy_uj", "262143000000\n");
  PowerReader reader(HostPaths{"/proc", root, "/"}, {});
  CHECK(FindValue(PowerFamilies(reader.Read()), "silicon_energy_joules_total") == Approx(262143.0));
  write("energy_uj", "2000000\n");
  CHECK(FindValue(PowerFamilies(reader.Read()), "silicon_energy_joules_total") == Approx(262143.32885 + 2.0));
  write("name", "");  // a zone without a name is named by its folder
  CHECK(FindValue(PowerFamilies(reader.Read()), "silicon_energy_joules_total", {{"domain", "intel-rapl:0"}}));
  write("energy_uj", "garbage\n");  // a malformed zone is no series, never a crash
  CHECK_THROWS_AS(PowerFamilies(reader.Read()), NoDataError);
  std::filesystem::remove_all(root);
}
