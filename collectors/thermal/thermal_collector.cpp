#include "collectors/thermal/thermal_collector.h"

#include "core/metric_builder.h"

namespace silicon {
namespace {

std::vector<Label> WithKind(std::vector<Label> labels, const char* kind) {
  labels.push_back({"kind", kind});
  return labels;
}

}  // namespace

Families ThermalFamilies(const ThermalSample& sample, const ThermalOptions& options) {
  if (sample.temperatures.empty() && sample.fans.empty() && !sample.os_thermal_state &&
      !sample.os_pressure_level) {
    throw NoDataError("no thermal zones, temperature sensors or fans");
  }
  Families out;
  if (const auto state = ThermalState(sample, options)) {
    auto family = GaugeFamily("silicon_thermal_state", "Thermal state: 0 nominal, 1 fair, 2 serious, 3 critical.");
    AddSample(family, *state);
    out.push_back(std::move(family));
  }
  if (sample.os_pressure_level) {
    auto family = GaugeFamily("silicon_thermal_pressure_level",
                              "macOS thermal pressure: 0 nominal, 1 moderate, 2 heavy, 3 trapping, 4 sleeping.");
    AddSample(family, *sample.os_pressure_level);
    out.push_back(std::move(family));
  }
  auto temperature = GaugeFamily("silicon_temperature_celsius", "Temperature of each sensor.");
  for (const auto& sensor : sample.temperatures) {
    AddSample(temperature, sensor.celsius, {{"chip", sensor.chip}, {"sensor", sensor.sensor}});
  }
  AppendIfNotEmpty(out, std::move(temperature));
  // The inputs of the thermal-state policy, so users can write rules of their own.
  auto limit = GaugeFamily("silicon_temperature_limit_celsius",
                           "Limit the platform publishes for a sensor: serious is the lowest passive trip point "
                           "or hwmon tempN_max, critical the lowest hot or critical trip point or tempN_crit.");
  for (const auto& sensor : sample.temperatures) {
    const std::vector<Label> labels = {{"chip", sensor.chip}, {"sensor", sensor.sensor}};
    if (sensor.serious_celsius) AddSample(limit, *sensor.serious_celsius, WithKind(labels, "serious"));
    if (sensor.critical_celsius) AddSample(limit, *sensor.critical_celsius, WithKind(labels, "critical"));
  }
  AppendIfNotEmpty(out, std::move(limit));
  auto fan = GaugeFamily("silicon_fan_speed_rpm", "Fan speed in revolutions per minute.");
  for (const auto& reading : sample.fans) AddSample(fan, reading.rpm, {{"chip", reading.chip}, {"fan", reading.fan}});
  AppendIfNotEmpty(out, std::move(fan));
  return out;
}

}  // namespace silicon
