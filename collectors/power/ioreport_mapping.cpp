#include "collectors/power/ioreport_mapping.h"

#include <algorithm>
#include <cctype>

#include "core/apple_cpu_tiers.h"

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

std::map<char, int> AccClusterTables(std::span<const std::uint8_t> property) {
  static constexpr char kTierByRank[] = {'E', 'M', 'P'};
  std::map<char, int> tables;
  for (std::size_t at = 0; at + 8 <= property.size(); at += 8) {
    const std::uint8_t rank = property[at + 1];
    if (rank >= sizeof kTierByRank) continue;  // a fourth tier: no table rather than a wrong one
    tables.emplace(kTierByRank[rank], property[at]);  // emplace keeps a tier's first cluster
  }
  return tables;
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

double SocActivityTotals::AddResidency(Activity& activity, const IOReportChannel& channel,
                                       const std::vector<double>& table_hz, double elapsed_seconds) {
  // Residencies come in ticks of an unpublished clock; their shares of the whole interval do not.
  double total = 0;
  for (const auto& state : channel.states) total += static_cast<double>(std::max<std::int64_t>(0, state.residency));
  if (total <= 0 || elapsed_seconds <= 0) return 0;
  std::size_t first_active = 0;
  while (first_active < channel.states.size() && IsIdleState(channel.states[first_active].name)) ++first_active;

  double active_share = 0, cycles = 0;
  for (std::size_t i = 0; first_active + i < channel.states.size(); ++i) {
    const double share =
        static_cast<double>(std::max<std::int64_t>(0, channel.states[first_active + i].residency)) / total;
    active_share += share;
    // Active state i runs at table entry i. Every real capture in tests/fixtures/mac-captures has as
    // many active states as table entries (M2 Ultra 6/17, M3 Pro 8/20, M4 8/20, M5 Max 20) and
    // powermetrics prints only table frequencies; a state past the table's end has no known
    // frequency, so it counts as active time without cycles, as macmon and mactop leave it out.
    if (i < table_hz.size()) cycles += share * elapsed_seconds * table_hz[i];
  }
  activity.active_seconds += active_share * elapsed_seconds;
  if (!table_hz.empty()) activity.cycles = activity.cycles.value_or(0) + cycles;
  return active_share * elapsed_seconds;
}

void SocActivityTotals::TrackCpuEnergy(bool seen, double joules, double cluster_active_seconds,
                                       double elapsed_seconds) {
  // "CPU Energy" stops advancing on macOS 27 betas while the clusters keep running (M3 Max:
  // identical raw samples, macmon#76; M1 Pro: powermetrics itself printed 0 mW, stats#3336).
  // The per-cluster EACC/PACC channels come from the same pmgr driver and stall with it
  // (macmon#76), so there is no IOReport source to fall back to: a stalled counter is marked and
  // its series left out rather than exported as zero watts.
  if (!seen) return;
  cpu_energy_seen_ = true;
  if (joules > 0) {
    cpu_stalled_ = false;
    flat_seconds_ = flat_busy_seconds_ = 0;
    return;
  }
  flat_seconds_ += std::max(0.0, elapsed_seconds);
  flat_busy_seconds_ += cluster_active_seconds;
  if (flat_seconds_ >= kStallSeconds && flat_busy_seconds_ >= kStallBusySeconds) cpu_stalled_ = true;
}

void SocActivityTotals::Add(const std::vector<IOReportChannel>& delta, double elapsed_seconds) {
  bool cpu_seen = false;
  double cpu_joules = 0, cluster_active = 0;
  for (const auto& channel : delta) {
    if (channel.group == "Energy Model") {
      const auto domain = EnergyDomain(channel.name);
      if (!domain) continue;
      if (*domain == "cpu") cpu_seen = true;
      if (channel.value < 0) continue;  // a negative delta is a counter that restarted
      if (const auto joules = Joules(channel.value, channel.unit)) {
        joules_[*domain] += *joules;
        if (*domain == "cpu") cpu_joules += *joules;
      } else {
        unknown_units_.insert(channel.unit);
      }
    } else if (channel.group == "CPU Stats" && channel.subgroup == "CPU Complex Performance States") {
      const char tier = AppleClusterTier(channel.name);
      if (tier == 0) continue;  // PCPM, PCPM_IDLE and other non-cluster channels
      auto& cluster = clusters_[channel.name];
      cluster.tier = tier;
      const auto table = tables_.cpu_hz.find(tier);
      static const std::vector<double> kNoTable;
      cluster_active += AddResidency(cluster, channel, table == tables_.cpu_hz.end() ? kNoTable : table->second,
                                     elapsed_seconds);
    } else if (channel.group == "GPU Stats" && channel.subgroup == "GPU Performance States" &&
               channel.name.starts_with("GPUPH")) {  // the hardware's states, not software requests
      AddResidency(gpus_[channel.name], channel, tables_.gpu_hz, elapsed_seconds);
    }
  }
  TrackCpuEnergy(cpu_seen, cpu_joules, cluster_active, elapsed_seconds);
}

PowerSample SocActivityTotals::Totals() const {
  PowerSample sample;
  for (const auto& [domain, joules] : joules_) {
    if (domain == "cpu" && cpu_stalled_) continue;  // a frozen counter is no reading (TrackCpuEnergy)
    sample.energy.push_back({domain, "", joules});
  }
  if (cpu_energy_seen_) sample.stalled_energy.push_back({"cpu", cpu_stalled_});
  std::set<char> tiers;
  for (const auto& [name, activity] : clusters_) tiers.insert(activity.tier);
  const auto names = AppleTierNames(tiers, perflevel_names_);
  for (const auto& [name, activity] : clusters_) {
    sample.clusters.push_back({name, names.at(activity.tier), activity.active_seconds, activity.cycles});
  }
  int index = 0;
  for (const auto& [name, activity] : gpus_) {
    sample.gpus.push_back({std::to_string(index++), activity.active_seconds, activity.cycles});
  }
  return sample;
}

}  // namespace silicon
