#include "collectors/cpu/cpu_collector.h"

#include <map>
#include <string>

#include "core/metric_builder.h"

namespace silicon {

Families CpuFamilies(const CpuSample& sample) {
  auto seconds = CounterFamily("silicon_cpu_seconds_total",
                               "Seconds each logical CPU spent in each mode since boot.");
  auto guest = CounterFamily("silicon_cpu_guest_seconds_total",
                             "Seconds each CPU ran virtual machine guests; already counted in user/nice.");
  auto frequency = GaugeFamily("silicon_cpu_frequency_hertz", "Current frequency of each CPU.");
  auto cores = GaugeFamily("silicon_cpu_cores", "Logical CPUs by core type.");

  std::map<std::string, int> cores_by_type;
  for (const auto& core : sample.cores) {
    const auto cpu = std::to_string(core.cpu);
    ++cores_by_type[core.core_type];
    for (const auto& mode : core.modes) {
      AddSample(seconds, mode.seconds,
                {{"cpu", cpu}, {"core_type", core.core_type}, {"mode", mode.mode}});
    }
    if (core.guest_user_seconds) {
      AddSample(guest, *core.guest_user_seconds,
                {{"cpu", cpu}, {"core_type", core.core_type}, {"mode", "user"}});
    }
    if (core.guest_nice_seconds) {
      AddSample(guest, *core.guest_nice_seconds,
                {{"cpu", cpu}, {"core_type", core.core_type}, {"mode", "nice"}});
    }
    if (core.frequency_hertz) {
      AddSample(frequency, *core.frequency_hertz, {{"cpu", cpu}, {"core_type", core.core_type}});
    }
  }
  for (const auto& [type, count] : cores_by_type) {
    AddSample(cores, count, {{"core_type", type}});
  }

  Families out;
  AppendIfNotEmpty(out, std::move(seconds));
  AppendIfNotEmpty(out, std::move(guest));
  AppendIfNotEmpty(out, std::move(frequency));
  AppendIfNotEmpty(out, std::move(cores));

  auto info = GaugeFamily("silicon_cpu_info", "CPU model and architecture; always 1.");
  AddSample(info, 1, {{"model", sample.model.empty() ? "unknown" : sample.model},
                      {"arch", sample.arch.empty() ? "unknown" : sample.arch}});
  out.push_back(std::move(info));

  if (sample.load) {
    const struct {
      const char* name;
      const char* help;
      double value;
    } loads[] = {{"silicon_load1", "System load average over 1 minute.", sample.load->one},
                 {"silicon_load5", "System load average over 5 minutes.", sample.load->five},
                 {"silicon_load15", "System load average over 15 minutes.", sample.load->fifteen}};
    for (const auto& load : loads) {
      auto family = GaugeFamily(load.name, load.help);
      AddSample(family, load.value);
      out.push_back(std::move(family));
    }
  }
  return out;
}

Families CpuCollector::Collect() { return CpuFamilies(reader_.Read()); }

}  // namespace silicon
