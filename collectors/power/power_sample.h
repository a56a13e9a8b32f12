#pragma once

#include <optional>
#include <string>
#include <vector>

namespace silicon {

/// Energy one domain has used since the exporter started reading it.
struct EnergyCounter {
  std::string domain;  // macOS: cpu, gpu, ane, dram, gpu_sram; Linux: the RAPL zone's name (package-0, core, psys)
  std::string zone;    // Linux: the powercap zone (intel-rapl:0:0), which tells two sockets' "core" apart; macOS: empty
  double joules = 0;
};

/// How long a CPU cluster ran (any core not idle) and how many clock cycles that was, so
/// rate(cycles) / rate(active) is its average frequency while it ran.
struct ClusterActivity {
  std::string cluster;    // the IOReport channel: ECPU, PCPU, PCPU1 ...
  std::string core_type;  // macOS's tier name lowercased (core/apple_cpu_tiers.h): efficiency, performance, super
  double active_seconds = 0;
  std::optional<double> cycles;  // absent when the chip's frequency table is unknown
};

/// The same for a GPU.
struct GpuActivity {
  std::string gpu;  // "0": the index the gpu collector gives the same GPU
  double active_seconds = 0;
  std::optional<double> cycles;
};

/// Whether an energy counter has stopped advancing while its hardware works (macOS: IOReport).
struct StalledEnergy {
  std::string domain;
  bool stalled = false;
};

/// Everything the power collector exposes, filled by power_reader_<platform>.cpp.
struct PowerSample {
  std::vector<EnergyCounter> energy;
  std::vector<ClusterActivity> clusters;
  std::vector<GpuActivity> gpus;
  std::vector<StalledEnergy> stalled_energy;  // a stalled domain's energy series is left out
  std::optional<double> system_power_watts;  // macOS: the SMC's PSTR key, the whole machine
  // macOS: what the IOReport sampler thread has cost, so a Mac shows the price of this collector.
  std::optional<double> sampler_samples;
  std::optional<double> sampler_busy_seconds;
};

}  // namespace silicon
