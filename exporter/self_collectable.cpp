#include "exporter/self_collectable.h"

#include "core/metric_builder.h"
#include "version.h"

namespace silicon {

const char* PlatformName() {
#if defined(__APPLE__) && defined(__aarch64__)
  return "darwin/arm64";
#elif defined(__APPLE__)
  return "darwin/amd64";
#elif defined(__aarch64__)
  return "linux/arm64";
#elif defined(__x86_64__)
  return "linux/amd64";
#else
  return "linux/other";
#endif
}

std::vector<prometheus::MetricFamily> ProcessFamilies(const ProcessSample& sample) {
  const struct {
    const std::optional<double>& value;
    bool counter;
    const char* name;
    const char* help;
  } fields[] = {
      {sample.cpu_seconds, true, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds."},
      {sample.resident_memory_bytes, false, "process_resident_memory_bytes", "Resident memory size in bytes."},
      {sample.virtual_memory_bytes, false, "process_virtual_memory_bytes", "Virtual memory size in bytes."},
      {sample.open_fds, false, "process_open_fds", "Number of open file descriptors."},
      {sample.max_fds, false, "process_max_fds", "Maximum number of open file descriptors."},
      {sample.start_time_seconds, false, "process_start_time_seconds",
       "Start time of the process since unix epoch in seconds."},
  };
  std::vector<prometheus::MetricFamily> out;
  for (const auto& field : fields) {
    AppendSingle(out, field.counter ? CounterFamily(field.name, field.help) : GaugeFamily(field.name, field.help),
                 field.value);
  }
  return out;
}

std::vector<prometheus::MetricFamily> SelfCollectable::Collect() const {
  auto out = [this] {
    const std::lock_guard lock(mutex_);
    return ProcessFamilies(reader_.Read());
  }();
  auto info = GaugeFamily("silicon_exporter_build_info",
                          "Version, revision and platform the exporter was built from; always 1.");
  AddSample(info, 1, {{"version", build::kVersion}, {"revision", build::kRevision}, {"platform", PlatformName()}});
  out.push_back(std::move(info));
  if (connections_) {
    for (auto& family : ConnectionFamilies(*connections_)) out.push_back(std::move(family));
  }
  return out;
}

}  // namespace silicon
