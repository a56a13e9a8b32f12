#include "collectors/gpu/gpu_collector.h"

#include <stdexcept>

#include "core/log.h"
#include "core/metric_builder.h"

namespace silicon {

Families GpuFamilies(const std::vector<GpuDevice>& devices) {
  auto info = GaugeFamily("silicon_gpu_info", "GPU identity; always 1.");
  auto utilization = GaugeFamily("silicon_gpu_utilization_ratio", "Share of time the GPU was busy (0-1).");
  auto memory_used = GaugeFamily("silicon_gpu_memory_used_bytes", "GPU memory in use.");
  auto memory_total = GaugeFamily("silicon_gpu_memory_total_bytes", "GPU memory available to the GPU.");
  auto frequency = GaugeFamily("silicon_gpu_frequency_hertz", "Current GPU clock frequency.");
  auto power = GaugeFamily("silicon_gpu_power_watts", "GPU power draw.");
  auto energy = CounterFamily("silicon_gpu_energy_joules_total", "Energy the GPU used since the driver loaded.");
  auto temperature = GaugeFamily("silicon_gpu_temperature_celsius", "GPU temperature.");
  auto fan = GaugeFamily("silicon_gpu_fan_speed_ratio", "GPU fan speed as a share of its maximum (0-1).");
  auto throttle = GaugeFamily("silicon_gpu_throttle_reasons",
                              "1 while this reason holds the GPU clocks down, else 0.");

  for (std::size_t index = 0; index < devices.size(); ++index) {
    const auto& d = devices[index];
    const auto gpu = std::to_string(index);
    const auto add = [&gpu](prometheus::MetricFamily& family, const std::optional<double>& value) {
      if (value) AddSample(family, *value, {{"gpu", gpu}});
    };
    // What a backend does not know is no label at all, not an empty one (Apple GPUs have no PCI
    // address or UUID; Intel's DRM backend no core count).
    std::vector<Label> identity = {{"gpu", gpu}};
    for (const auto& [name, value] : {std::pair<const char*, std::string>{"vendor", d.vendor}, {"name", d.name},
                                      {"uuid", d.uuid}, {"driver", d.driver}, {"pci_bus_id", d.pci_bus_id},
                                      {"cores", d.cores ? std::to_string(*d.cores) : ""}}) {
      if (!value.empty()) identity.push_back({name, value});
    }
    AddSample(info, 1, std::move(identity));
    add(utilization, d.utilization_ratio);
    add(memory_used, d.memory_used_bytes);
    add(memory_total, d.memory_total_bytes);
    for (const auto& [clock, hertz] : d.frequency_hertz) AddSample(frequency, hertz, {{"gpu", gpu}, {"clock", clock}});
    add(power, d.power_watts);
    add(energy, d.energy_joules);
    add(temperature, d.temperature_celsius);
    add(fan, d.fan_speed_ratio);
    for (const auto& [reason, active] : d.throttle_reasons) {
      AddSample(throttle, active ? 1 : 0, {{"gpu", gpu}, {"reason", reason}});
    }
  }
  Families out;
  for (auto* family : {&info, &utilization, &memory_used, &memory_total, &frequency, &power, &energy, &temperature,
                       &fan, &throttle}) {
    AppendIfNotEmpty(out, std::move(*family));
  }
  return out;
}

Families GpuCollector::Collect() {
  std::vector<GpuDevice> devices;
  std::string first_error;
  for (const auto& backend : backends_) {
    try {
      auto found = backend->Read();
      for (auto& device : found) devices.push_back(std::move(device));
    } catch (const std::exception& error) {
      if (first_error.empty()) first_error = std::string(backend->Name()) + ": " + error.what();
      log::Debug("gpu backend failed", {{"collector", "gpu"}, {"backend", backend->Name()}, {"err", error.what()}});
    }
  }
  if (devices.empty()) {
    if (!first_error.empty()) throw std::runtime_error(first_error);
    throw NoDataError("no GPU found by any backend");
  }
  return GpuFamilies(devices);
}

}  // namespace silicon
