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

using Reader = std::function<void(const Labels&, double, HistoryInput&)>;

void Gauge(const char* name, const Labels&, double value, HistoryInput& in) { in.gauges[Id(name)] = value; }

// The families the page draws, and where each value goes.
const std::unordered_map<std::string, Reader>& Readers() {
  static const auto* readers = new std::unordered_map<std::string, Reader>{
      {"silicon_cpu_seconds_total",
       [](const Labels& l, double v, HistoryInput& in) {
         std::string type = LabelOf(l, "core_type");
         std::vector<std::pair<std::string, std::string>> core{{"cpu", LabelOf(l, "cpu")},
                                                               {"core_type", type.empty() ? "unknown" : type}};
         in.counters[Id("cpu_all_seconds", core)] += v;
         if (!IsIdleMode(LabelOf(l, "mode"))) in.counters[Id("cpu_busy_seconds", core)] += v;
       }},
      {"silicon_load1", [](const Labels& l, double v, HistoryInput& in) { Gauge("load1", l, v, in); }},
      {"silicon_load5", [](const Labels& l, double v, HistoryInput& in) { Gauge("load5", l, v, in); }},
      {"silicon_load15", [](const Labels& l, double v, HistoryInput& in) { Gauge("load15", l, v, in); }},
      {"silicon_memory_total_bytes", [](const Labels& l, double v, HistoryInput& in) { Gauge("memory_total_bytes", l, v, in); }},
      {"silicon_memory_used_bytes", [](const Labels& l, double v, HistoryInput& in) { Gauge("memory_used_bytes", l, v, in); }},
      {"silicon_memory_cached_bytes", [](const Labels& l, double v, HistoryInput& in) { Gauge("memory_cached_bytes", l, v, in); }},
      {"silicon_memory_compressed_bytes",
       [](const Labels& l, double v, HistoryInput& in) { Gauge("memory_compressed_bytes", l, v, in); }},
      {"silicon_memory_wired_bytes", [](const Labels& l, double v, HistoryInput& in) { Gauge("memory_wired_bytes", l, v, in); }},
      {"silicon_memory_pressure_level",
       [](const Labels& l, double v, HistoryInput& in) { Gauge("memory_pressure_level", l, v, in); }},
      {"silicon_thermal_state", [](const Labels& l, double v, HistoryInput& in) { Gauge("thermal_state", l, v, in); }},
      {"silicon_system_power_watts",
       [](const Labels&, double v, HistoryInput& in) { in.gauges[Id("power_watts", {{"domain", "whole machine"}})] = v; }},
      {"silicon_swap_in_bytes_total", [](const Labels&, double v, HistoryInput& in) { in.counters[Id("swap_in_bytes")] = v; }},
      {"silicon_swap_out_bytes_total", [](const Labels&, double v, HistoryInput& in) { in.counters[Id("swap_out_bytes")] = v; }},
      {"silicon_temperature_celsius",
       [](const Labels&, double v, HistoryInput& in) {
         auto [it, added] = in.gauges.try_emplace(Id("temperature_max_celsius"), v);
         if (!added) it->second = std::max(it->second, v);
       }},
      {"silicon_fan_speed_rpm",
       [](const Labels& l, double v, HistoryInput& in) {
         in.gauges[Id("fan_speed_rpm", {{"fan", LabelOf(l, "chip") + " " + LabelOf(l, "fan")}})] = v;
       }},
      {"silicon_gpu_active_seconds_total",
       [](const Labels& l, double v, HistoryInput& in) { in.counters[Id("gpu_active_seconds", {{"gpu", LabelOf(l, "gpu")}})] = v; }},
      {"silicon_gpu_utilization_ratio",
       [](const Labels& l, double v, HistoryInput& in) { in.gauges[Id("gpu_utilization", {{"gpu", LabelOf(l, "gpu")}})] = v; }},
      {"silicon_gpu_memory_used_bytes",
       [](const Labels& l, double v, HistoryInput& in) {
         in.gauges[Id("gpu_memory_used_bytes", {{"gpu", LabelOf(l, "gpu")}})] = v;
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
      {"silicon_cpu_cluster_active_seconds_total",
       [](const Labels& l, double v, HistoryInput& in) {
         in.counters[Id("cluster_active_seconds", {{"cluster", LabelOf(l, "cluster")}})] = v;
       }},
      {"silicon_cpu_cluster_cycles_total",
       [](const Labels& l, double v, HistoryInput& in) {
         in.counters[Id("cluster_cycles", {{"cluster", LabelOf(l, "cluster")}})] = v;
       }},
      {"silicon_disk_read_bytes_total",
       [](const Labels& l, double v, HistoryInput& in) { in.counters[Id("disk_read_bytes", {{"device", LabelOf(l, "device")}})] = v; }},
      {"silicon_disk_written_bytes_total",
       [](const Labels& l, double v, HistoryInput& in) {
         in.counters[Id("disk_written_bytes", {{"device", LabelOf(l, "device")}})] = v;
       }},
      {"silicon_network_receive_bytes_total",
       [](const Labels& l, double v, HistoryInput& in) {
         if (!IsLoopback(LabelOf(l, "device"))) in.counters[Id("network_receive_bytes", {{"device", LabelOf(l, "device")}})] = v;
       }},
      {"silicon_network_transmit_bytes_total",
       [](const Labels& l, double v, HistoryInput& in) {
         if (!IsLoopback(LabelOf(l, "device"))) in.counters[Id("network_transmit_bytes", {{"device", LabelOf(l, "device")}})] = v;
       }},
      // A container's counters by name and id: a container recreated under the same name starts a
      // new counter rather than looking like a reset of the old one.
      {"silicon_container_cpu_usage_seconds_total",
       [](const Labels& l, double v, HistoryInput& in) {
         in.counters[Id("container_cpu_seconds", {{"name", LabelOf(l, "name")}, {"id", LabelOf(l, "id")}})] = v;
       }},
      {"silicon_container_memory_working_set_bytes",
       [](const Labels& l, double v, HistoryInput& in) {
         in.gauges[Id("container_memory_bytes", {{"name", LabelOf(l, "name")}, {"id", LabelOf(l, "id")}})] = v;
       }},
  };
  return *readers;
}

}  // namespace

HistoryInput ReadHistoryInput(const std::vector<prometheus::MetricFamily>& families) {
  HistoryInput input;
  const auto& readers = Readers();
  for (const auto& family : families) {
    const auto reader = readers.find(family.name);
    if (reader == readers.end()) continue;
    for (const auto& metric : family.metric) {
      const double value = ValueOf(metric, family.type);
      if (std::isfinite(value)) reader->second(metric.label, value, input);
    }
  }
  return input;
}

}  // namespace silicon
