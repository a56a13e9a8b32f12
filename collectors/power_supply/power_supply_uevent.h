#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "collectors/power_supply/power_supply_sample.h"

namespace silicon {

/// One /sys/class/power_supply/<name>/uevent file (POWER_SUPPLY_KEY=value lines) as a battery or
/// a supply; nullopt for a type it does not know or a file without POWER_SUPPLY_TYPE. Units are
/// the kernel's: uWh, uAh, percent, seconds.
std::optional<std::variant<PowerSupply, Battery>> ParsePowerSupplyUevent(const std::string& name,
                                                                         std::string_view uevent);

}  // namespace silicon
