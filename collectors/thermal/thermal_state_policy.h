#pragma once

#include <optional>

#include "collectors/thermal/thermal_sample.h"

namespace silicon {

// Policy: where the OS has no thermal state of its own (Linux), the exporter derives one from each
// sensor's limits and these thresholds, so one alert on silicon_thermal_state serves Macs and
// Linux boxes alike. The inputs are exported as they are too (silicon_temperature_celsius,
// silicon_temperature_limit_celsius) for users who want rules of their own.

/// Temperature thresholds (°C) for deriving the thermal state (collectors.thermal in the config).
struct ThermalOptions {
  double fair_margin_celsius = 10;     // "fair" starts this far below a sensor's lowest limit
  std::optional<double> fair_celsius;  // absolute thresholds for every sensor; unset by default
  std::optional<double> serious_celsius;
  std::optional<double> critical_celsius;
};

/// The state of one sensor (0 nominal .. 3 critical) against its own limits and the configured
/// thresholds; nullopt when neither gives it any limit.
std::optional<int> SensorThermalState(const TemperatureSensor& sensor, const ThermalOptions& options);

/// The machine's state: the OS's own where it has one (macOS), else the worst sensor's.
std::optional<int> ThermalState(const ThermalSample& sample, const ThermalOptions& options);

}  // namespace silicon
