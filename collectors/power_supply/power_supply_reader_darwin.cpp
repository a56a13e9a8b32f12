#include <IOKit/ps/IOPSKeys.h>
#include <IOKit/ps/IOPowerSources.h>

#include "collectors/power_supply/darwin_power_source.h"
#include "collectors/power_supply/power_supply_collector.h"
#include "core/darwin_handles.h"

// The internal battery through the public IOPowerSources API, its cycle count and capacities
// from the AppleSmartBattery registry entry (top level, or its BatteryData dictionary on
// macOS 27); neither needs root. Compiled for
// arm64-apple-macos13; not yet run on a Mac.
namespace silicon {
namespace {

std::optional<long long> Number(CFDictionaryRef dictionary, CFStringRef key) {
  return CFNumberValue(CFDictionaryGetValue(dictionary, key));
}

std::optional<DarwinPowerSource> InternalBattery() {
  const CFRef<CFTypeRef> info(IOPSCopyPowerSourcesInfo());
  if (!info) return std::nullopt;
  const CFRef<CFArrayRef> list(IOPSCopyPowerSourcesList(info.get()));
  if (!list) return std::nullopt;
  for (CFIndex i = 0; i < CFArrayGetCount(list.get()); ++i) {
    // Get rule: the description belongs to info.
    const CFDictionaryRef description = IOPSGetPowerSourceDescription(info.get(), CFArrayGetValueAtIndex(list.get(), i));
    if (description == nullptr) continue;
    DarwinPowerSource source;
    source.type = CFStringValue(CFDictionaryGetValue(description, CFSTR(kIOPSTypeKey)));
    if (source.type != kIOPSInternalBatteryType) continue;
    source.name = CFStringValue(CFDictionaryGetValue(description, CFSTR(kIOPSNameKey)));
    source.state = CFStringValue(CFDictionaryGetValue(description, CFSTR(kIOPSPowerSourceStateKey)));
    const auto present = CFDictionaryGetValue(description, CFSTR(kIOPSIsPresentKey));
    source.present = present == nullptr || present == kCFBooleanTrue;
    source.current_capacity = Number(description, CFSTR(kIOPSCurrentCapacityKey));
    source.max_capacity = Number(description, CFSTR(kIOPSMaxCapacityKey));
    source.time_to_empty_minutes = Number(description, CFSTR(kIOPSTimeToEmptyKey));
    return source;
  }
  return std::nullopt;
}

DarwinSmartBattery SmartBattery() {
  DarwinSmartBattery battery;
  const IOObject service(IOServiceGetMatchingService(kIOMainPortDefault, IOServiceMatching("AppleSmartBattery")));
  if (!service) return battery;
  const auto read = [&service](CFStringRef key) {
    const CFRef<CFTypeRef> value(IORegistryEntryCreateCFProperty(service.get(), key, kCFAllocatorDefault, 0));
    return CFNumberValue(value.get());
  };
  battery.cycle_count = read(CFSTR("CycleCount"));
  battery.design_capacity = read(CFSTR("DesignCapacity"));
  battery.raw_max_capacity = read(CFSTR("AppleRawMaxCapacity"));
  battery.nominal_charge_capacity = read(CFSTR("NominalChargeCapacity"));
  // macOS 27 keeps the capacities only in this dictionary (see darwin_power_source.h).
  const CFRef<CFTypeRef> data(IORegistryEntryCreateCFProperty(service.get(), CFSTR("BatteryData"), kCFAllocatorDefault, 0));
  if (data && CFGetTypeID(data.get()) == CFDictionaryGetTypeID()) {
    const auto dictionary = static_cast<CFDictionaryRef>(data.get());
    battery.battery_data.design_capacity = Number(dictionary, CFSTR("DesignCapacity"));
    battery.battery_data.full_charge_capacity = Number(dictionary, CFSTR("FullChargeCapacity"));
    battery.battery_data.nominal_charge_capacity = Number(dictionary, CFSTR("NominalChargeCapacity"));
  }
  return battery;
}

}  // namespace

PowerSupplySample ReadPowerSupplies(const HostPaths&) {
  const auto source = InternalBattery();
  return PowerSupplyFromDarwin(source, source ? SmartBattery() : DarwinSmartBattery{});
}

}  // namespace silicon
