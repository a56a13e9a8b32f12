#include "collectors/power_supply/power_supply_collector.h"

#include "core/metric_builder.h"

namespace silicon {

Families PowerSupplyFamilies(const PowerSupplySample& sample) {
  if (sample.supplies.empty() && sample.batteries.empty()) throw NoDataError("no battery or power supply");
  Families out;
  auto online = GaugeFamily("silicon_power_supply_online", "1 when the supply (AC adapter, USB port) provides power.");
  for (const auto& supply : sample.supplies) {
    if (supply.online) AddSample(online, *supply.online ? 1 : 0, {{"supply", supply.name}, {"type", supply.type}});
  }
  AppendIfNotEmpty(out, std::move(online));
  struct Reading {
    const char* name;
    const char* help;
    std::optional<double> Battery::*field;
  };
  static constexpr Reading kReadings[] = {
      {"silicon_battery_charge_ratio", "Charge of the battery as a share of its present full capacity (0-1).",
       &Battery::charge_ratio},
      {"silicon_battery_health_ratio", "Present full capacity of the battery as a share of its design capacity.",
       &Battery::health_ratio},
      // Not _cycle_count: a _count suffix is reserved for histograms and summaries (promtool).
      {"silicon_battery_charge_cycles", "Charge cycles the battery has counted.", &Battery::cycle_count},
      {"silicon_battery_time_to_empty_seconds",
       "Time the battery lasts at the present draw, as the OS estimates it; absent while charging or estimating.",
       &Battery::time_to_empty_seconds},
  };
  for (const auto& reading : kReadings) {
    auto family = GaugeFamily(reading.name, reading.help);
    for (const auto& battery : sample.batteries) {
      if (const auto& value = battery.*reading.field) AddSample(family, *value, {{"battery", battery.name}});
    }
    AppendIfNotEmpty(out, std::move(family));
  }
  return out;
}

}  // namespace silicon
