#include "collectors/power/ioreport_mapping.h"

#include <algorithm>
#include <cctype>

namespace silicon {
namespace {

constexpr double kHzThreshold = 1e8;  // a top state below 100 MHz can only be a kHz table

bool IsIdleState(std::string_view name) { return name == "IDLE" || name == "DOWN" || name == "OFF"; }

std::string_view WithoutDiePrefix(std::string_view channel) {
  // Ultra parts repeat each channel per die: DIE_0_CPU Energy, DIE_1_CPU Energy.
  if (!channel.starts_with("DIE_")) return channel;
  const auto underscore = channel.find('_', 4);
  return underscore == std::string_view::npos ? channel : channel.substr(underscore + 1);
}

/// efficiency for ECPU*, performance for PCPU*, else the letters before "CPU" in lower case
/// (later chips rename their tiers; a guess would be worse than the chip's own word).
std::string CoreTypeOfCluster(std::string_view cluster) {
  const auto cpu = cluster.find("CPU");
  if (cpu == std::string_view::npos || cpu == 0) return "unknown";
  const char tier = cluster[cpu - 1];
  if (tier == 'E') return "efficiency";
  if (tier == 'P') return "performance";
  std::string type(cluster.substr(0, cpu));
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return type;
}

/// The table a cluster's states index: E (and M, the E-table user of newer chips) or P.
const std::vector<double>& TableOfCluster(const SocFrequencyTables& tables, std::string_view core_type) {
  return core_type == "performance" ? tables.performance_hz : tables.efficiency_hz;
}

}  // namespace

std::vector<double> VoltageStateFrequenciesHz(std::span<const std::uint8_t> property) {
  std::vector<double> raw;
  for (std::size_t at = 0; at + 8 <= property.size(); at += 8) {
    const std::uint32_t value = static_cast<std::uint32_t>(property[at]) |
                                static_cast<std::uint32_t>(property[at + 1]) << 8 |
                                static_cast<std::uint32_t>(property[at + 2]) << 16 |
                                static_cast<std::uint32_t>(property[at + 3]) << 24;
    if (value != 0) raw.push_back(value);
  }
  if (raw.empty()) return raw;
  const double scale = *std::max_element(raw.begin(), raw.end()) >= kHzThreshold ? 1.0 : 1000.0;
  for (double& value : raw) value *= scale;
  return raw;
}

std::optional<std::string> EnergyDomain(std::string_view channel) {
  const std::string_view name = WithoutDiePrefix(channel);
  if (name == "CPU Energy") return "cpu";
  if (name == "GPU Energy") return "gpu";
  if (name.starts_with("GPU SRAM")) return "gpu_sram";
  if (name.starts_with("ANE")) return "ane";  // ANE, ANE0, ANE0_1 as the chip has them
  if (name.starts_with("DRAM")) return "dram";
  return std::nullopt;
}

std::optional<double> Joules(std::int64_t value, std::string_view unit) {
  if (unit == "mJ") return static_cast<double>(value) * 1e-3;
  if (unit == "uJ") return static_cast<double>(value) * 1e-6;
  if (unit == "nJ") return static_cast<double>(value) * 1e-9;
  return std::nullopt;
}

void SocActivityTotals::AddResidency(Activity& activity, const IOReportChannel& channel,
                                     const std::vector<double>& table_hz, double elapsed_seconds) {
  // Residencies come in ticks of an unpublished clock; their shares of the whole interval do not.
  double total = 0;
  for (const auto& state : channel.states) total += static_cast<double>(std::max<std::int64_t>(0, state.residency));
  if (total <= 0 || elapsed_seconds <= 0) return;
  std::size_t first_active = 0;
  while (first_active < channel.states.size() && IsIdleState(channel.states[first_active].name)) ++first_active;
  const std::size_t active_states = channel.states.size() - first_active;

  double active_share = 0, cycles = 0;
  for (std::size_t i = 0; i < active_states; ++i) {
    const double share =
        static_cast<double>(std::max<std::int64_t>(0, channel.states[first_active + i].residency)) / total;
    active_share += share;
    if (table_hz.empty()) continue;
    double hz;
    if (active_states == table_hz.size()) {
      hz = table_hz[i];
    } else {
      // The state count and the table disagree on some chips: spread the states evenly from the
      // lowest to the highest frequency rather than drop the ones past the table's end.
      const double position = active_states > 1 ? static_cast<double>(i) / static_cast<double>(active_states - 1) : 0;
      hz = table_hz.front() + (table_hz.back() - table_hz.front()) * position;
    }
    cycles += share * elapsed_seconds * hz;
  }
  activity.active_seconds += active_share * elapsed_seconds;
  if (!table_hz.empty()) activity.cycles = activity.cycles.value_or(0) + cycles;
}

void SocActivityTotals::Add(const std::vector<IOReportChannel>& delta, double elapsed_seconds) {
  for (const auto& channel : delta) {
    if (channel.group == "Energy Model") {
      const auto domain = EnergyDomain(channel.name);
      if (!domain || channel.value < 0) continue;  // a negative delta is a counter that restarted
      if (const auto joules = Joules(channel.value, channel.unit)) {
        joules_[*domain] += *joules;
      } else {
        unknown_units_.insert(channel.unit);
      }
    } else if (channel.group == "CPU Stats" && channel.subgroup == "CPU Complex Performance States") {
      const std::string core_type = CoreTypeOfCluster(channel.name);
      if (core_type == "unknown") continue;  // not a CPU cluster
      auto& cluster = clusters_[channel.name];
      cluster.core_type = core_type;
      AddResidency(cluster, channel, TableOfCluster(tables_, core_type), elapsed_seconds);
    } else if (channel.group == "GPU Stats" && channel.subgroup == "GPU Performance States" &&
               channel.name.starts_with("GPUPH")) {  // the hardware's states, not software requests
      AddResidency(gpus_[channel.name], channel, tables_.gpu_hz, elapsed_seconds);
    }
  }
}

PowerSample SocActivityTotals::Totals() const {
  PowerSample sample;
  for (const auto& [domain, joules] : joules_) sample.energy.push_back({domain, "", joules});
  for (const auto& [name, activity] : clusters_) {
    sample.clusters.push_back({name, activity.core_type, activity.active_seconds, activity.cycles});
  }
  int index = 0;
  for (const auto& [name, activity] : gpus_) {
    sample.gpus.push_back({std::to_string(index++), activity.active_seconds, activity.cycles});
  }
  return sample;
}

}  // namespace silicon
