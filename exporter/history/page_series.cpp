#include "exporter/history/page_series.h"

#include <algorithm>
#include <cmath>
#include <string_view>

namespace silicon {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// Gauges the page draws exactly as read.
constexpr std::string_view kPlainGauges[] = {
    "load1", "load5", "load15", "memory_total_bytes", "memory_used_bytes", "memory_cached_bytes",
    "memory_compressed_bytes", "memory_wired_bytes", "memory_pressure_level", "thermal_state",
    "temperature_max_celsius", "fan_speed_rpm", "gpu_memory_used_bytes", "power_watts"};

// Rates summed over every labelled series of one counter into one line (devices).
struct Total {
  std::string_view counter;
  std::string_view series;
};
constexpr Total kTotals[] = {
    {"disk_read_bytes", "disk_read_bytes_per_second"},
    {"disk_written_bytes", "disk_written_bytes_per_second"},
    {"network_receive_bytes", "network_receive_bytes_per_second"},
    {"network_transmit_bytes", "network_transmit_bytes_per_second"},
    {"swap_in_bytes", "swap_in_bytes_per_second"},
    {"swap_out_bytes", "swap_out_bytes_per_second"},
};

std::string Label(const SeriesId& id, std::string_view name) {
  for (const auto& [key, value] : id.labels) {
    if (key == name) return value;
  }
  return {};
}

// Busy share of each core (busy time over all time in the interval: independent of how long the
// interval was) and of each core type (the same over all its cores).
void AddCpu(const SeriesValues& rates, SeriesValues& out) {
  std::map<std::string, std::pair<double, double>> by_type;  // busy, all
  for (const auto& [id, all] : rates) {
    if (id.name != "cpu_all_seconds" || all <= 0) continue;
    const auto busy_it = rates.find(SeriesId{"cpu_busy_seconds", id.labels});
    const double busy = busy_it == rates.end() ? 0 : busy_it->second;
    out[SeriesId{"cpu_core_busy_ratio", id.labels}] = std::clamp(busy / all, 0.0, 1.0);
    auto& type = by_type[Label(id, "core_type")];
    type.first += busy;
    type.second += all;
  }
  for (const auto& [type, sums] : by_type) {
    out[SeriesId{"cpu_busy_ratio", {{"core_type", type}}}] = std::clamp(sums.first / sums.second, 0.0, 1.0);
  }
}

// Apple's GPU residency counter where it exists, else the driver's own utilisation reading.
void AddGpu(const SeriesValues& gauges, const SeriesValues& rates, SeriesValues& out) {
  for (const auto& [id, value] : gauges) {
    if (id.name == "gpu_utilization") out[SeriesId{"gpu_busy_ratio", id.labels}] = value;
  }
  for (const auto& [id, value] : rates) {
    if (id.name == "gpu_active_seconds") out[SeriesId{"gpu_busy_ratio", id.labels}] = std::clamp(value, 0.0, 1.0);
  }
}

// Watts per energy domain, and each CPU cluster's average frequency while running: cycles over
// time active in the same interval.
void AddPower(const SeriesValues& rates, SeriesValues& out) {
  for (const auto& [id, value] : rates) {
    if (id.name == "energy_joules") out[SeriesId{"power_watts", id.labels}] = value;
    if (id.name != "cluster_cycles") continue;
    const auto active = rates.find(SeriesId{"cluster_active_seconds", id.labels});
    if (active != rates.end() && active->second > 0) {
      out[SeriesId{"cluster_frequency_hertz", id.labels}] = value / active->second;
    }
  }
}

// The largest containers by working set (then by CPU), each under its name alone.
void AddContainers(const SeriesValues& gauges, const SeriesValues& rates, SeriesValues& out) {
  struct Container {
    std::string name;
    double memory = NAN;
    double cpu = NAN;
  };
  std::map<Pairs, Container> containers;
  for (const auto& [id, value] : gauges) {
    if (id.name == "container_memory_bytes") {
      auto& c = containers[id.labels];
      c.name = Label(id, "name");
      c.memory = value;
    }
  }
  for (const auto& [id, value] : rates) {
    if (id.name == "container_cpu_seconds") {
      auto& c = containers[id.labels];
      c.name = Label(id, "name");
      c.cpu = value;
    }
  }
  std::vector<Container> ranked;
  for (auto& [labels, container] : containers) ranked.push_back(std::move(container));
  const auto weight = [](double v) { return std::isnan(v) ? -1.0 : v; };
  std::sort(ranked.begin(), ranked.end(), [&](const Container& a, const Container& b) {
    return weight(a.memory) != weight(b.memory) ? weight(a.memory) > weight(b.memory) : weight(a.cpu) > weight(b.cpu);
  });
  if (ranked.size() > kMaxHistoryContainers) ranked.resize(kMaxHistoryContainers);
  for (const auto& c : ranked) {
    if (!std::isnan(c.memory)) out[SeriesId{"container_memory_bytes", {{"name", c.name}}}] = c.memory;
    if (!std::isnan(c.cpu)) out[SeriesId{"container_cpu_cores", {{"name", c.name}}}] = c.cpu;
  }
}

}  // namespace

SeriesValues PageSeries(const SeriesValues& gauges, const SeriesValues& rates) {
  SeriesValues out;
  for (const auto& [id, value] : gauges) {
    if (std::find(std::begin(kPlainGauges), std::end(kPlainGauges), id.name) != std::end(kPlainGauges)) out[id] = value;
  }
  AddCpu(rates, out);
  AddGpu(gauges, rates, out);
  AddPower(rates, out);
  for (const auto& total : kTotals) {
    bool any = false;
    double sum = 0;
    for (const auto& [id, value] : rates) {
      if (id.name != total.counter) continue;
      any = true;
      sum += value;
    }
    if (any) out[SeriesId{std::string(total.series), {}}] = sum;
  }
  AddContainers(gauges, rates, out);
  return out;
}

}  // namespace silicon
