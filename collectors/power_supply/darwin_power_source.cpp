#include "collectors/power_supply/darwin_power_source.h"

#include <algorithm>
#include <initializer_list>

namespace silicon {
namespace {

std::optional<double> Ratio(std::optional<long long> part, std::optional<long long> whole) {
  if (!part || !whole || *part < 0 || *whole <= 0) return std::nullopt;
  return static_cast<double>(*part) / static_cast<double>(*whole);
}

template <typename T>
std::optional<T> FirstOf(std::initializer_list<std::optional<T>> candidates) {
  for (const auto& candidate : candidates) {
    if (candidate) return candidate;
  }
  return std::nullopt;
}

}  // namespace

std::optional<double> BatteryHealthRatio(const DarwinSmartBattery& smart_battery) {
  const auto& data = smart_battery.battery_data;
  const auto design = FirstOf({smart_battery.design_capacity, data.design_capacity});
  // The gauge's full-charge capacity: AppleRawMaxCapacity up to macOS 26, BatteryData's
  // FullChargeCapacity from macOS 27 (one macOS 27 M2 Air shows it equal to the
  // AppleSmartBatteryPack entry's AppleRawMaxCapacity, 4427 mAh: Kyome22/SystemInfoKit#34).
  // NominalChargeCapacity, 2-3 points higher on every published dump, only when neither exists.
  // No registry key reproduces System Settings' "Maximum Capacity": on three published pairs it
  // differs from this ratio by -4.2 to +2.9 points (tests/unit/power_supply_test.cpp).
  const auto full = FirstOf({smart_battery.raw_max_capacity, data.full_charge_capacity,
                             smart_battery.nominal_charge_capacity, data.nominal_charge_capacity});
  const auto ratio = Ratio(full, design);
  // A new pack can hold more than its design capacity (an M5 MacBook Pro: 6351 of 6249 mAh);
  // macOS shows "Maximum Capacity" capped at 100 %, and a health above 1 means nothing.
  if (ratio) return std::min(1.0, *ratio);
  return std::nullopt;
}

PowerSupplySample PowerSupplyFromDarwin(const std::optional<DarwinPowerSource>& source,
                                        const DarwinSmartBattery& smart_battery) {
  PowerSupplySample sample;
  if (!source || !source->present || source->type != "InternalBattery") return sample;
  const bool on_ac = source->state == "AC Power";
  sample.supplies.push_back({"AC", "mains", on_ac});
  Battery battery;
  battery.name = source->name;
  battery.charge_ratio = Ratio(source->current_capacity, source->max_capacity);
  if (battery.charge_ratio) battery.charge_ratio = std::min(1.0, *battery.charge_ratio);
  battery.health_ratio = BatteryHealthRatio(smart_battery);
  if (smart_battery.cycle_count && *smart_battery.cycle_count >= 0) {
    battery.cycle_count = static_cast<double>(*smart_battery.cycle_count);
  }
  // -1 means macOS is still estimating: no series rather than a made-up number.
  if (!on_ac && source->time_to_empty_minutes && *source->time_to_empty_minutes >= 0) {
    battery.time_to_empty_seconds = static_cast<double>(*source->time_to_empty_minutes) * 60;
  }
  sample.batteries.push_back(std::move(battery));
  return sample;
}

}  // namespace silicon
