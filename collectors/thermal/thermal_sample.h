#pragma once

#include <optional>
#include <string>
#include <vector>

namespace silicon {

/// One temperature sensor with the limits its platform publishes for it.
struct TemperatureSensor {
  std::string chip;    // thermal zone type or hwmon chip name (macOS: the HID service's maker)
  std::string sensor;  // zone name, hwmon tempN_label or tempN (macOS: the HID Product name)
  double celsius = 0;
  std::optional<double> serious_celsius;   // Linux: lowest passive trip, hwmon tempN_max
  std::optional<double> critical_celsius;  // Linux: lowest hot/critical trip, hwmon tempN_crit
};

/// One fan.
struct FanSensor {
  std::string chip;
  std::string fan;  // fanN_label or fanN
  double rpm = 0;
};

/// Everything the thermal collector exposes, filled by thermal_reader_<platform>.cpp.
struct ThermalSample {
  std::vector<TemperatureSensor> temperatures;
  std::vector<FanSensor> fans;
  /// macOS NSProcessInfo.thermalState: 0 nominal, 1 fair, 2 serious, 3 critical.
  std::optional<int> os_thermal_state;
  /// macOS notify key com.apple.system.thermalpressurelevel: 0 nominal .. 4 sleeping.
  std::optional<int> os_pressure_level;
};

}  // namespace silicon
