#pragma once

#include <optional>
#include <string>
#include <vector>

namespace silicon {

/// A source of power other than a battery: an AC adapter, a USB-C port.
struct PowerSupply {
  std::string name;  // Linux: the power_supply folder (AC, ADP1, ucsi-source-psy-...); macOS: AC
  std::string type;  // mains, usb, ... (Linux POWER_SUPPLY_TYPE in lower case); macOS: mains
  std::optional<bool> online;
};

/// A battery.
struct Battery {
  std::string name;                           // BAT0, InternalBattery-0
  std::optional<double> charge_ratio;         // 0-1 of its present full capacity
  std::optional<double> cycle_count;
  std::optional<double> health_ratio;         // present full capacity / design capacity
  std::optional<double> time_to_empty_seconds;  // absent while charging or while the OS estimates it
};

/// Everything the power_supply collector exposes, filled by power_supply_reader_<platform>.cpp.
struct PowerSupplySample {
  std::vector<PowerSupply> supplies;
  std::vector<Battery> batteries;
};

}  // namespace silicon
