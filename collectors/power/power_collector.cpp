#include "collectors/power/power_collector.h"

#include "core/metric_builder.h"

namespace silicon {

Families PowerFamilies(const PowerSample& sample) {
  if (sample.energy.empty() && sample.clusters.empty() && sample.gpus.empty() && !sample.system_power_watts) {
    throw NoDataError("no energy counters, cluster activity or system power on this machine");
  }
  Families out;
  // Counters, never "watts over the last interval": rate() in Prometheus gives watts over any window.
  auto energy = CounterFamily("silicon_energy_joules_total", "Energy used by each power domain.");
  for (const auto& counter : sample.energy) {
    std::vector<Label> labels = {{"domain", counter.domain}};
    if (!counter.zone.empty()) labels.push_back({"zone", counter.zone});
    AddSample(energy, counter.joules, std::move(labels));
  }
  AppendIfNotEmpty(out, std::move(energy));

  auto active = CounterFamily("silicon_cpu_cluster_active_seconds_total",
                              "Time a CPU cluster was running (not idle or powered down).");
  auto cycles = CounterFamily("silicon_cpu_cluster_cycles_total",
                              "Clock cycles of a CPU cluster while running; rate(cycles)/rate(active) is its "
                              "average frequency in hertz.");
  for (const auto& cluster : sample.clusters) {
    const std::vector<Label> labels = {{"cluster", cluster.cluster}, {"core_type", cluster.core_type}};
    AddSample(active, cluster.active_seconds, labels);
    if (cluster.cycles) AddSample(cycles, *cluster.cycles, labels);
  }
  AppendIfNotEmpty(out, std::move(active));
  AppendIfNotEmpty(out, std::move(cycles));

  auto gpu_active = CounterFamily("silicon_gpu_active_seconds_total", "Time the GPU was running (not idle or off).");
  auto gpu_cycles = CounterFamily("silicon_gpu_cycles_total",
                                  "GPU clock cycles while running; rate(cycles)/rate(active) is its average "
                                  "frequency in hertz.");
  for (const auto& gpu : sample.gpus) {
    AddSample(gpu_active, gpu.active_seconds, {{"gpu", gpu.gpu}});
    if (gpu.cycles) AddSample(gpu_cycles, *gpu.cycles, {{"gpu", gpu.gpu}});
  }
  AppendIfNotEmpty(out, std::move(gpu_active));
  AppendIfNotEmpty(out, std::move(gpu_cycles));

  auto stalled = GaugeFamily("silicon_energy_counter_stalled",
                             "1 while an energy counter has stopped advancing though its hardware runs (macOS 27 "
                             "IOReport \"CPU Energy\"); its silicon_energy_joules_total series is left out meanwhile.");
  for (const auto& domain : sample.stalled_energy) AddSample(stalled, domain.stalled ? 1 : 0, {{"domain", domain.domain}});
  AppendIfNotEmpty(out, std::move(stalled));

  AppendSingle(out, GaugeFamily("silicon_system_power_watts", "Power the whole machine draws (macOS: SMC PSTR)."),
               sample.system_power_watts);
  AppendSingle(out, CounterFamily("silicon_power_sampler_samples_total", "IOReport samples the sampler thread took."),
               sample.sampler_samples);
  AppendSingle(out,
               CounterFamily("silicon_power_sampler_busy_seconds_total",
                             "Time the IOReport sampler thread spent sampling; divided by samples, the cost of one."),
               sample.sampler_busy_seconds);
  return out;
}

}  // namespace silicon
