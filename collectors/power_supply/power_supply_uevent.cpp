#include "collectors/power_supply/power_supply_uevent.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/text_file.h"

namespace silicon {
namespace {

using Properties = std::map<std::string_view, std::string_view>;

std::optional<double> Number(const Properties& properties, std::string_view key) {
  const auto it = properties.find(key);
  if (it == properties.end()) return std::nullopt;
  return ParseNonNegative(it->second);
}

std::optional<double> Ratio(std::optional<double> part, std::optional<double> whole) {
  if (!part || !whole || *whole <= 0) return std::nullopt;
  return *part / *whole;
}

Battery BatteryFrom(const std::string& name, const Properties& properties) {
  Battery battery;
  battery.name = name;
  // Batteries report energy (uWh) or charge (uAh), some only a percentage.
  const auto energy_full = Number(properties, "POWER_SUPPLY_ENERGY_FULL");
  const auto charge_full = Number(properties, "POWER_SUPPLY_CHARGE_FULL");
  battery.charge_ratio = Ratio(Number(properties, "POWER_SUPPLY_ENERGY_NOW"), energy_full);
  if (!battery.charge_ratio) battery.charge_ratio = Ratio(Number(properties, "POWER_SUPPLY_CHARGE_NOW"), charge_full);
  if (!battery.charge_ratio) battery.charge_ratio = Ratio(Number(properties, "POWER_SUPPLY_CAPACITY"), 100.0);
  if (battery.charge_ratio) battery.charge_ratio = std::min(1.0, *battery.charge_ratio);
  battery.health_ratio = Ratio(energy_full, Number(properties, "POWER_SUPPLY_ENERGY_FULL_DESIGN"));
  if (!battery.health_ratio) battery.health_ratio = Ratio(charge_full, Number(properties, "POWER_SUPPLY_CHARGE_FULL_DESIGN"));
  battery.cycle_count = Number(properties, "POWER_SUPPLY_CYCLE_COUNT");
  // Drivers that do not count cycles print 0; a battery that has really done none is new enough
  // that "unknown" loses nothing.
  if (battery.cycle_count == 0.0) battery.cycle_count.reset();
  const auto status = properties.find("POWER_SUPPLY_STATUS");
  if (status != properties.end() && status->second == "Discharging") {
    battery.time_to_empty_seconds = Number(properties, "POWER_SUPPLY_TIME_TO_EMPTY_NOW");
  }
  return battery;
}

}  // namespace

std::optional<std::variant<PowerSupply, Battery>> ParsePowerSupplyUevent(const std::string& name,
                                                                         std::string_view uevent) {
  Properties properties;
  for (const auto line : SplitLines(uevent)) {
    const auto equals = line.find('=');
    if (equals == std::string_view::npos || !line.starts_with("POWER_SUPPLY_")) continue;
    properties[line.substr(0, equals)] = TrimSpace(line.substr(equals + 1));
  }
  const auto type = properties.find("POWER_SUPPLY_TYPE");
  if (type == properties.end() || type->second.empty()) return std::nullopt;
  if (type->second == "Battery") {
    const auto present = properties.find("POWER_SUPPLY_PRESENT");
    if (present != properties.end() && present->second == "0") return std::nullopt;  // an empty bay
    return BatteryFrom(name, properties);
  }
  PowerSupply supply;
  supply.name = name;
  supply.type.assign(type->second);
  std::transform(supply.type.begin(), supply.type.end(), supply.type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (const auto online = Number(properties, "POWER_SUPPLY_ONLINE")) supply.online = *online > 0;
  return supply;
}

}  // namespace silicon
