#include <variant>

#include "collectors/power_supply/power_supply_collector.h"
#include "collectors/power_supply/power_supply_uevent.h"
#include "core/directory.h"
#include "core/text_file.h"

// One uevent file per supply: every property in one read, where separate attributes would cost
// a read each (and some batteries answer each through a slow ACPI call).
namespace silicon {

PowerSupplySample ReadPowerSupplies(const HostPaths& paths) {
  PowerSupplySample sample;
  const auto dir = paths.sysfs / "class" / "power_supply";
  for (const auto& name : ListNames(dir)) {
    if (name.starts_with(".")) continue;
    auto uevent = ReadTextFile(dir / name / "uevent", 16 * 1024);
    if (!uevent) continue;
    // Older kernels leave POWER_SUPPLY_TYPE out of uevent; the type attribute has always had it.
    if (uevent->find("POWER_SUPPLY_TYPE=") == std::string::npos) {
      if (const auto type = ReadTextFile(dir / name / "type", 64)) uevent->append("\nPOWER_SUPPLY_TYPE=" + *type);
    }
    const auto parsed = ParsePowerSupplyUevent(name, *uevent);
    if (!parsed) continue;
    if (const auto* battery = std::get_if<Battery>(&*parsed)) {
      sample.batteries.push_back(*battery);
    } else {
      sample.supplies.push_back(std::get<PowerSupply>(*parsed));
    }
  }
  return sample;
}

}  // namespace silicon
