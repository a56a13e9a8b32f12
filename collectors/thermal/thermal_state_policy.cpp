#include "collectors/thermal/thermal_state_policy.h"

#include <algorithm>

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

}  // namespace silicon
