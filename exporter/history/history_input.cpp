#include "exporter/history/history_input.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace silicon {
namespace {

using Labels = std::vector<prometheus::ClientMetric::Label>;

std::string LabelOf(const Labels& labels, std::string_view name) {
  for (const auto& label : labels) {
    if (label.name == name) return label.value;
  }
  return {};
}

double ValueOf(const prometheus::ClientMetric& metric, prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter: return metric.counter.value;
    case prometheus::MetricType::Gauge: return metric.gauge.value;
    case prometheus::MetricType::Untyped: return metric.untyped.value;
    default: return NAN;
  }
}

SeriesId Id(std::string name, std::vector<std::pair<std::string, std::string>> labels = {}) {
  return SeriesId{std::move(name), std::move(labels)};
}

// What the modes of /proc/stat and host_processor_info count as not busy (as the page's "now").
bool IsIdleMode(std::string_view mode) { return mode == "idle" || mode == "iowait"; }

// Loopback traffic never leaves the machine: the throughput chart is what goes over the wire.
bool IsLoopback(std::string_view device) { return device == "lo" || device == "lo0"; }

// A family the page draws as it is: each sample becomes `series` with the labels named here
// (copied in this order, the others dropped), a gauge drawn as read or a counter drawn as a rate.
struct PlainFamily {
  const char* series;
  bool counter;
  std::vector<const char*> labels;
};

constexpr bool kGauge = false;
constexpr bool kCounter = true;

const std::unordered_map<std::string_view, PlainFamily>& PlainFamilies() {
  static const auto* families = new std::unordered_map<std::string_view, PlainFamily>{
      {"silicon_load1", {"load1", kGauge, {}}},
      {"silicon_load5", {"load5", kGauge, {}}},
      {"silicon_load15", {"load15", kGauge, {}}},
      {"silicon_memory_total_bytes", {"memory_total_bytes", kGauge, {}}},
      {"silicon_memory_used_bytes", {"memory_used_bytes", kGauge, {}}},
      {"silicon_memory_cached_bytes", {"memory_cached_bytes", kGauge, {}}},
      {"silicon_memory_compressed_bytes", {"memory_compressed_bytes", kGauge, {}}},
      {"silicon_memory_wired_bytes", {"memory_wired_bytes", kGauge, {}}},
      {"silicon_memory_pressure_level", {"memory_pressure_level", kGauge, {}}},
      {"silicon_thermal_state", {"thermal_state", kGauge, {}}},
      {"silicon_swap_in_bytes_total", {"swap_in_bytes", kCounter, {}}},
      {"silicon_swap_out_bytes_total", {"swap_out_bytes", kCounter, {}}},
      {"silicon_gpu_active_seconds_total", {"gpu_active_seconds", kCounter, {"gpu"}}},
      {"silicon_gpu_utilization_ratio", {"gpu_utilization", kGauge, {"gpu"}}},
      {"silicon_gpu_memory_used_bytes", {"gpu_memory_used_bytes", kGauge, {"gpu"}}},
      {"silicon_cpu_cluster_active_seconds_total", {"cluster_active_seconds", kCounter, {"cluster"}}},
      {"silicon_cpu_cluster_cycles_total", {"cluster_cycles", kCounter, {"cluster"}}},
      {"silicon_disk_read_bytes_total", {"disk_read_bytes", kCounter, {"device"}}},
      {"silicon_disk_written_bytes_total", {"disk_written_bytes", kCounter, {"device"}}},
      // A container's series by name and id: a container recreated under the same name starts a
      // new counter rather than looking like a reset of the old one.
      {"silicon_container_cpu_usage_seconds_total", {"container_cpu_seconds", kCounter, {"name", "id"}}},
      {"silicon_container_memory_working_set_bytes", {"container_memory_bytes", kGauge, {"name", "id"}}},
  };
  return *families;
}

void ReadPlain(const PlainFamily& family, const Labels& l, double v, HistoryInput& in) {
  std::vector<std::pair<std::string, std::string>> labels;
  labels.reserve(family.labels.size());
  for (const char* name : family.labels) labels.emplace_back(name, LabelOf(l, name));
  (family.counter ? in.counters : in.gauges)[Id(family.series, std::move(labels))] = v;
}

// The families whose samples the page combines, renames or filters: one function each.
using Reader = std::function<void(const Labels&, double, HistoryInput&)>;

const std::unordered_map<std::string_view, Reader>& CombinedFamilies() {
  static const auto* readers = new std::unordered_map<std::string_view, Reader>{
      {"silicon_cpu_seconds_total",  // modes summed per core: all time, and busy time
       [](const Labels& l, double v, HistoryInput& in) {
         std::string type = LabelOf(l, "core_type");
         std::vector<std::pair<std::string, std::string>> core{{"cpu", LabelOf(l, "cpu")},
                                                               {"core_type", type.empty() ? "unknown" : type}};
         in.counters[Id("cpu_all_seconds", core)] += v;
         if (!IsIdleMode(LabelOf(l, "mode"))) in.counters[Id("cpu_busy_seconds", core)] += v;
       }},
      {"silicon_temperature_celsius",  // the hottest sensor
       [](const Labels&, double v, HistoryInput& in) {
         auto [it, added] = in.gauges.try_emplace(Id("temperature_max_celsius"), v);
         if (!added) it->second = std::max(it->second, v);
       }},
      {"silicon_fan_speed_rpm",
       [](const Labels& l, double v, HistoryInput& in) {
         in.gauges[Id("fan_speed_rpm", {{"fan", LabelOf(l, "chip") + " " + LabelOf(l, "fan")}})] = v;
       }},
      // Power and energy share one chart, a line per domain.
      {"silicon_system_power_watts",
       [](const Labels&, double v, HistoryInput& in) {
         in.gauges[Id("power_watts", {{"domain", "whole machine"}})] = v;
       }},
      {"silicon_gpu_power_watts",
       [](const Labels& l, double v, HistoryInput& in) {
         in.gauges[Id("power_watts", {{"domain", "gpu " + LabelOf(l, "gpu")}})] = v;
       }},
      {"silicon_energy_joules_total",
       [](const Labels& l, double v, HistoryInput& in) {
         // Linux RAPL names a zone per socket: "core (intel-rapl:0:0)"; Apple's domains stand alone.
         const std::string zone = LabelOf(l, "zone");
         const std::string domain = LabelOf(l, "domain") + (zone.empty() ? "" : " (" + zone + ")");
         in.counters[Id("energy_joules", {{"domain", domain}})] = v;
       }},
      {"silicon_network_receive_bytes_total",
       [](const Labels& l, double v, HistoryInput& in) {
         if (!IsLoopback(LabelOf(l, "device")))
           in.counters[Id("network_receive_bytes", {{"device", LabelOf(l, "device")}})] = v;
       }},
      {"silicon_network_transmit_bytes_total",
       [](const Labels& l, double v, HistoryInput& in) {
         if (!IsLoopback(LabelOf(l, "device")))
           in.counters[Id("network_transmit_bytes", {{"device", LabelOf(l, "device")}})] = v;
       }},
  };
  return *readers;
}

}  // namespace

HistoryInput ReadHistoryInput(const std::vector<prometheus::MetricFamily>& families) {
  HistoryInput input;
  const auto& plain = PlainFamilies();
  const auto& combined = CombinedFamilies();
  for (const auto& family : families) {
    const PlainFamily* as_is = nullptr;
    const Reader* reader = nullptr;
    if (const auto found = plain.find(family.name); found != plain.end()) {
      as_is = &found->second;
    } else if (const auto other = combined.find(family.name); other != combined.end()) {
      reader = &other->second;
    } else {
      continue;  // a family the page does not draw
    }
    for (const auto& metric : family.metric) {
      const double value = ValueOf(metric, family.type);
      if (!std::isfinite(value)) continue;
      if (as_is) {
        ReadPlain(*as_is, metric.label, value, input);
      } else {
        (*reader)(metric.label, value, input);
      }
    }
  }
  return input;
}

}  // namespace silicon
