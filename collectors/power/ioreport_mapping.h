#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/power/power_sample.h"

// IOReport's channels, copied out of their CoreFoundation dictionaries by the macOS reader, and
// the arithmetic that turns delta samples into running totals. Platform-neutral, so it is tested
// here on real captures (tests/fixtures/mac-captures/) and on channels shaped after them.
namespace silicon {

/// One state of a state channel and how long the channel spent in it during the interval.
struct IOReportState {
  std::string name;  // IDLE, DOWN, OFF, then the performance states (V0P5, P1 ...)
  std::int64_t residency = 0;
};

/// One channel of a delta sample (IOReportCreateSamplesDelta).
struct IOReportChannel {
  std::string group;     // "Energy Model", "CPU Stats", "GPU Stats"
  std::string subgroup;  // "CPU Complex Performance States", "GPU Performance States"
  std::string name;      // "CPU Energy", "DIE_1_CPU Energy", "PCPU1", "GPUPH"
  std::string unit;      // energy channels: mJ, uJ or nJ
  std::int64_t value = 0;              // simple channels: the change over the interval
  std::vector<IOReportState> states;   // state channels
};

/// The frequency tables of the pmgr device-tree node, in hertz, lowest first.
struct SocFrequencyTables {
  // By tier letter (E, M, P; core/apple_cpu_tiers.h). M1-M4: E voltage-states1-sram, P
  // voltage-states5-sram. M5 and later: the tables acc-clusters names (M5 Max: M 22 and 23, P 5).
  std::map<char, std::vector<double>> cpu_hz;
  std::vector<double> gpu_hz;  // voltage-states9
};

/// The voltage-states table index of each CPU tier from pmgr's acc-clusters property (M5 and
/// later; M1-M4 have none): 8-byte entries, byte 0 the table index, byte 1 the tier rank
/// (0 E, 1 M, 2 P). Where a tier has several clusters (M5 Max: 22 and 23), the first is kept.
std::map<char, int> AccClusterTables(std::span<const std::uint8_t> property);

/// The frequencies of a voltage-states property: pairs of little-endian 32-bit (frequency,
/// voltage). Hz on M1-M3, kHz from M4 on (told apart by size: no Apple core runs below 100 MHz at
/// its top state). Entries of 0 are the off state, which the residency channels list as OFF: dropped.
std::vector<double> VoltageStateFrequenciesHz(std::span<const std::uint8_t> property);

/// The energy domain of an "Energy Model" channel (cpu, gpu, ane, dram, gpu_sram), after the
/// DIE_n_ prefix of Ultra parts; nullopt for the many per-block channels, which would count twice.
std::optional<std::string> EnergyDomain(std::string_view channel);

/// An energy channel's value in joules by its unit label; nullopt for a unit other than mJ, uJ, nJ.
std::optional<double> Joules(std::int64_t value, std::string_view unit);

/// Running totals of IOReport delta samples: what a scrape reads, while one sampler thread adds.
class SocActivityTotals {
 public:
  /// perflevel_names: hw.perflevel0.name, 1, ... (fastest first), which name the cluster tiers.
  explicit SocActivityTotals(SocFrequencyTables tables, std::vector<std::string> perflevel_names = {})
      : tables_(std::move(tables)), perflevel_names_(std::move(perflevel_names)) {}

  /// Adds one delta sample that covered elapsed_seconds of wall time.
  void Add(const std::vector<IOReportChannel>& delta, double elapsed_seconds);

  /// The totals so far.
  PowerSample Totals() const;

  /// Energy unit labels seen and not understood (for one log line).
  const std::set<std::string>& UnknownUnits() const { return unknown_units_; }

  /// Whether "CPU Energy" has stopped advancing while the CPU clusters run (see Add).
  bool CpuEnergyStalled() const { return cpu_stalled_; }

  /// How long "CPU Energy" may stay flat, with the clusters busy, before it counts as stalled:
  /// on macOS 27 it is published in batches about 2.1 s apart, so a 1 s sampler legitimately sees
  /// flat intervals; 10 s is five batches missed.
  static constexpr double kStallSeconds = 10;
  /// Cluster-seconds of CPU activity within that flat window that a working counter could not
  /// have slept through (an idle-ish Mac still moves it by mJ every batch).
  static constexpr double kStallBusySeconds = 1;

 private:
  struct Activity {
    char tier = 0;
    double active_seconds = 0;
    std::optional<double> cycles;
  };
  /// Adds one channel's residencies; returns the active seconds it added.
  double AddResidency(Activity& activity, const IOReportChannel& channel, const std::vector<double>& table_hz,
                      double elapsed_seconds);
  void TrackCpuEnergy(bool seen, double joules, double cluster_active_seconds, double elapsed_seconds);

  SocFrequencyTables tables_;
  std::vector<std::string> perflevel_names_;
  bool cpu_energy_seen_ = false;
  bool cpu_stalled_ = false;
  double flat_seconds_ = 0;       // wall time since CPU Energy last moved
  double flat_busy_seconds_ = 0;  // cluster activity within that time
  std::map<std::string, double> joules_;
  std::map<std::string, Activity> clusters_;
  std::map<std::string, Activity> gpus_;  // by channel name; numbered in name order
  std::set<std::string> unknown_units_;
};

}  // namespace silicon
