#include "collectors/power_supply/darwin_power_source.h"

#include <algorithm>

namespace silicon {
namespace {

std::optional<double> Ratio(std::optional<long long> part, std::optional<long long> whole) {
  if (!part || !whole || *part < 0 || *whole <= 0) return std::nullopt;
  return static_cast<double>(*part) / static_cast<double>(*whole);
}

}  // namespace

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
  battery.health_ratio = Ratio(smart_battery.raw_max_capacity, smart_battery.design_capacity);
  if (!battery.health_ratio) battery.health_ratio = Ratio(smart_battery.nominal_charge_capacity, smart_battery.design_capacity);
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
