#include "collectors/thermal/thermal_collector.h"

#include <algorithm>

#include "exporter/metric_builder.h"

namespace silicon {

std::optional<int> SensorThermalState(const TemperatureSensor& sensor, const ThermalOptions& options) {
  const double t = sensor.celsius;
  const auto reached = [t](const std::optional<double>& limit) { return limit && t >= *limit; };
  const bool has_limit = sensor.serious_celsius || sensor.critical_celsius || options.fair_celsius ||
                         options.serious_celsius || options.critical_celsius;
  if (!has_limit) return std::nullopt;

  if (reached(sensor.critical_celsius) || reached(options.critical_celsius)) return 3;
  if (reached(sensor.serious_celsius) || reached(options.serious_celsius)) return 2;
  const auto lowest = sensor.serious_celsius ? sensor.serious_celsius : sensor.critical_celsius;
  if (reached(options.fair_celsius) || (lowest && t >= *lowest - options.fair_margin_celsius)) return 1;
  return 0;
}

std::optional<int> ThermalState(const ThermalSample& sample, const ThermalOptions& options) {
  if (sample.os_thermal_state) {
    const int state = *sample.os_thermal_state;
    if (state < 0 || state > 3) return std::nullopt;  // NSProcessInfoThermalState has four values
    return state;
  }
  std::optional<int> worst;
  for (const auto& sensor : sample.temperatures) {
    if (const auto state = SensorThermalState(sensor, options)) worst = std::max(worst.value_or(0), *state);
  }
  return worst;
}

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
  auto fan = GaugeFamily("silicon_fan_speed_rpm", "Fan speed in revolutions per minute.");
  for (const auto& reading : sample.fans) AddSample(fan, reading.rpm, {{"chip", reading.chip}, {"fan", reading.fan}});
  AppendIfNotEmpty(out, std::move(fan));
  return out;
}

}  // namespace silicon
