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
// here on channels shaped after public descriptions of M1, M2 Ultra, M3 Max and M4.
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
  std::vector<double> efficiency_hz;   // voltage-states1-sram
  std::vector<double> performance_hz;  // voltage-states5-sram
  std::vector<double> gpu_hz;          // voltage-states9
};

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
  explicit SocActivityTotals(SocFrequencyTables tables) : tables_(std::move(tables)) {}

  /// Adds one delta sample that covered elapsed_seconds of wall time.
  void Add(const std::vector<IOReportChannel>& delta, double elapsed_seconds);

  /// The totals so far.
  PowerSample Totals() const;

  /// Energy unit labels seen and not understood (for one log line).
  const std::set<std::string>& UnknownUnits() const { return unknown_units_; }

 private:
  struct Activity {
    std::string core_type;
    double active_seconds = 0;
    std::optional<double> cycles;
  };
  void AddResidency(Activity& activity, const IOReportChannel& channel, const std::vector<double>& table_hz,
                    double elapsed_seconds);

  SocFrequencyTables tables_;
  std::map<std::string, double> joules_;
  std::map<std::string, Activity> clusters_;
  std::map<std::string, Activity> gpus_;  // by channel name; numbered in name order
  std::set<std::string> unknown_units_;
};

}  // namespace silicon
