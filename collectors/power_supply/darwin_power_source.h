#pragma once

#include <optional>
#include <string>

#include "collectors/power_supply/power_supply_sample.h"

namespace silicon {

/// One IOPowerSources description (IOPSGetPowerSourceDescription) as read on macOS.
struct DarwinPowerSource {
  std::string name;                           // kIOPSNameKey: InternalBattery-0
  std::string type;                           // kIOPSTypeKey: InternalBattery, UPS
  std::string state;                          // kIOPSPowerSourceStateKey: "AC Power", "Battery Power"
  bool present = true;                        // kIOPSIsPresentKey
  std::optional<long long> current_capacity;  // kIOPSCurrentCapacityKey (percent on Apple Silicon)
  std::optional<long long> max_capacity;      // kIOPSMaxCapacityKey (100 on Apple Silicon)
  std::optional<long long> time_to_empty_minutes;  // kIOPSTimeToEmptyKey: -1 while macOS estimates it
};

/// The AppleSmartBattery registry entry's numbers (IORegistry, no root): mAh and a count. Two
/// layouts are in use: up to macOS 26 the capacities are top-level properties; macOS 27 drops
/// AppleRawMaxCapacity, NominalChargeCapacity and DesignCapacity from the top level and keeps
/// them only in the BatteryData dictionary (dumps in tests/fixtures/mac-captures/battery/).
struct DarwinSmartBattery {
  std::optional<long long> cycle_count;              // CycleCount (top level in both layouts)
  std::optional<long long> design_capacity;          // DesignCapacity
  std::optional<long long> raw_max_capacity;         // AppleRawMaxCapacity (MaxCapacity is a percent on Apple Silicon)
  std::optional<long long> nominal_charge_capacity;  // NominalChargeCapacity
  /// The same quantities inside the BatteryData dictionary.
  struct BatteryData {
    std::optional<long long> design_capacity;          // DesignCapacity (both layouts)
    std::optional<long long> full_charge_capacity;     // FullChargeCapacity (macOS 27): AppleRawMaxCapacity's value
    std::optional<long long> nominal_charge_capacity;  // NominalChargeCapacity (macOS 27)
  } battery_data;
};

/// Present full capacity over design capacity, as a ratio capped at 1; nullopt without both.
std::optional<double> BatteryHealthRatio(const DarwinSmartBattery& smart_battery);

/// The sample for the internal battery and the AC adapter it reports; an absent battery (a bay,
/// a desktop Mac) gives nothing.
PowerSupplySample PowerSupplyFromDarwin(const std::optional<DarwinPowerSource>& source,
                                        const DarwinSmartBattery& smart_battery);

}  // namespace silicon
