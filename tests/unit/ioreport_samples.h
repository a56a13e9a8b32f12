#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "collectors/power/ioreport_mapping.h"

// IOReport delta samples and pmgr frequency tables shaped after public descriptions of each chip
// (APPLE_FACTS.md, the channel names the sudo-less monitors match on, powermetrics reports of the
// cluster layout). Not read on a Mac: the numbers are made up, the shapes are what matters.
namespace silicon::test {

/// A voltage-states property: (frequency, voltage) pairs of little-endian 32-bit words.
inline std::vector<std::uint8_t> VoltageStates(std::initializer_list<std::uint32_t> frequencies) {
  std::vector<std::uint8_t> bytes;
  std::uint32_t millivolts = 600;
  for (const std::uint32_t frequency : frequencies) {
    for (const std::uint32_t word : {frequency, millivolts += 25}) {
      for (int shift = 0; shift < 32; shift += 8) bytes.push_back(static_cast<std::uint8_t>(word >> shift));
    }
  }
  return bytes;
}

inline IOReportChannel Energy(std::string name, std::string unit, std::int64_t value) {
  return {"Energy Model", "", std::move(name), std::move(unit), value, {}};
}

inline IOReportChannel States(std::string group, std::string subgroup, std::string name,
                              std::vector<IOReportState> states) {
  return {std::move(group), std::move(subgroup), std::move(name), "", 0, std::move(states)};
}

inline IOReportChannel Cluster(std::string name, std::vector<IOReportState> states) {
  return States("CPU Stats", "CPU Complex Performance States", std::move(name), std::move(states));
}

inline IOReportChannel Gpu(std::vector<IOReportState> states) {
  return States("GPU Stats", "GPU Performance States", "GPUPH", std::move(states));
}

/// Residencies: the idle states by name, then one per performance state, named V0P<i>.
inline std::vector<IOReportState> Residencies(std::vector<IOReportState> idle, std::vector<std::int64_t> active) {
  for (std::size_t i = 0; i < active.size(); ++i) idle.push_back({"V" + std::to_string(i) + "P", active[i]});
  return idle;
}

/// M1 tables in Hz: 5 E states (600-2064 MHz), 15 P states (600-3204 MHz), GPU 0 then 6 states.
inline SocFrequencyTables M1Tables() {
  SocFrequencyTables tables;
  tables.cpu_hz['E'] = VoltageStateFrequenciesHz(VoltageStates({600000000, 972000000, 1332000000, 1704000000, 2064000000}));
  tables.cpu_hz['P'] = VoltageStateFrequenciesHz(VoltageStates(
      {600000000, 828000000, 1056000000, 1284000000, 1500000000, 1728000000, 1956000000, 2184000000, 2388000000,
       2592000000, 2772000000, 2988000000, 3096000000, 3144000000, 3204000000}));
  tables.gpu_hz = VoltageStateFrequenciesHz(
      VoltageStates({0, 396000000, 528000000, 720000000, 924000000, 1128000000, 1278000000}));
  return tables;
}

/// One second of an M1 under light load: energy in mJ, plus per-block channels that must not count.
inline std::vector<IOReportChannel> M1Second() {
  return {Energy("CPU Energy", "mJ", 1200), Energy("GPU Energy", "mJ", 300), Energy("ANE", "mJ", 0),
          Energy("DRAM", "mJ", 450), Energy("GPU SRAM", "mJ", 20), Energy("EACC_CPU", "mJ", 400),
          Energy("PACC_CPU", "mJ", 800), Energy("PCPU0", "mJ", 200),
          Cluster("ECPU", Residencies({{"IDLE", 500}}, {100, 100, 100, 100, 100})),
          Cluster("PCPU", Residencies({{"IDLE", 900}}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100})),
          Gpu(Residencies({{"OFF", 800}}, {0, 0, 0, 0, 0, 200})),
          // Per-core channels live in another subgroup and are not clusters.
          States("CPU Stats", "CPU Core Performance States", "ECPU0", Residencies({{"IDLE", 1}}, {1}))};
}

/// M3 Max (12 P in two clusters of 6, 4 E, 40-core GPU): energy in nJ, tables in Hz.
inline SocFrequencyTables M3MaxTables() {
  SocFrequencyTables tables;
  tables.cpu_hz['E'] = VoltageStateFrequenciesHz(
      VoltageStates({744000000, 1044000000, 1476000000, 2004000000, 2268000000, 2532000000, 2748000000}));
  tables.cpu_hz['P'] = VoltageStateFrequenciesHz(
      VoltageStates({696000000, 1092000000, 1356000000, 1596000000, 1884000000, 2172000000, 2424000000, 2616000000,
                     2808000000, 3000000000, 3192000000, 3348000000, 3480000000, 3600000000, 3708000000, 3780000000,
                     3864000000, 3924000000, 3984000000, 4056000000}));
  tables.gpu_hz = VoltageStateFrequenciesHz(
      VoltageStates({0, 338000000, 618000000, 796000000, 924000000, 952000000, 1056000000, 1062000000, 1182000000,
                     1244000000, 1316000000, 1380000000}));
  return tables;
}

inline std::vector<IOReportChannel> M3MaxSecond() {
  std::vector<std::int64_t> p_busy(20, 0), p_light(20, 0), gpu(11, 0);
  p_busy[19] = 700;  // one P cluster at its top state 70 % of the second
  p_light[5] = 100;
  gpu[10] = 370;
  return {Energy("CPU Energy", "nJ", 9800000000), Energy("GPU Energy", "nJ", 4100000000),
          Energy("ANE0", "nJ", 0), Energy("DRAM", "nJ", 1250000000), Energy("GPU SRAM", "nJ", 150000000),
          Cluster("ECPU", Residencies({{"IDLE", 400}}, {100, 200, 100, 100, 50, 25, 25})),
          Cluster("PCPU", Residencies({{"IDLE", 300}}, p_busy)),
          Cluster("PCPU1", Residencies({{"IDLE", 900}}, p_light)),
          Gpu(Residencies({{"OFF", 630}}, gpu))};
}

/// M2 Ultra: two dies, six clusters in the order E0 P0 P1 E1 P2 P3, energy per die.
inline std::vector<IOReportChannel> M2UltraSecond() {
  std::vector<IOReportChannel> delta = {
      Energy("DIE_0_CPU Energy", "mJ", 2100), Energy("DIE_1_CPU Energy", "mJ", 1900),
      Energy("GPU Energy", "mJ", 6000), Energy("ANE0_0", "mJ", 10), Energy("ANE0_1", "mJ", 5),
      Energy("DIE_0_DRAM", "mJ", 700), Energy("DIE_1_DRAM", "mJ", 650)};
  for (const char* name : {"ECPU0", "PCPU0", "PCPU1", "ECPU1", "PCPU2", "PCPU3"}) {
    delta.push_back(Cluster(name, Residencies({{"IDLE", 500}}, {250, 250})));
  }
  return delta;
}

/// M4: the CPU tables in kHz, ANE as ANE0, energy in uJ.
inline SocFrequencyTables M4Tables() {
  SocFrequencyTables tables;
  tables.cpu_hz['E'] = VoltageStateFrequenciesHz(VoltageStates({1020000, 1428000, 1932000, 2424000, 2892000}));
  tables.cpu_hz['P'] = VoltageStateFrequenciesHz(VoltageStates({1260000, 1956000, 2748000, 3576000, 4392000}));
  tables.gpu_hz = VoltageStateFrequenciesHz(VoltageStates({0, 338000000, 800000000, 1200000000, 1578000000}));
  return tables;
}

inline std::vector<IOReportChannel> M4Second() {
  return {Energy("CPU Energy", "uJ", 3500000), Energy("GPU Energy", "uJ", 900000), Energy("ANE0", "uJ", 250000),
          Energy("DRAM", "uJ", 600000),
          Cluster("ECPU", Residencies({{"IDLE", 0}}, {0, 0, 0, 0, 1000})),
          Cluster("PCPU", Residencies({{"DOWN", 500}, {"IDLE", 250}}, {0, 0, 0, 0, 250})),
          Gpu(Residencies({{"OFF", 1000}}, {0, 0, 0, 0}))};
}

}  // namespace silicon::test
