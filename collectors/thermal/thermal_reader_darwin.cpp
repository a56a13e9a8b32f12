#include <notify.h>
#include <objc/message.h>
#include <objc/runtime.h>

#include "collectors/thermal/thermal_collector.h"

// macOS thermal state through public APIs only: NSProcessInfo.thermalState (via the Objective-C
// runtime, so this stays a C++ file) and the thermal pressure notify key. Per-sensor temperatures
// need the IOHIDEventSystemClient SPI, which is not public: not read, so no temperature series.
// Compiled for arm64-apple-macos13; not yet run on a Mac.
namespace silicon {
namespace {

// NSProcessInfoThermalState: 0 nominal, 1 fair, 2 serious, 3 critical.
std::optional<int> ProcessInfoThermalState() {
  Class process_info_class = objc_getClass("NSProcessInfo");
  if (process_info_class == nullptr) return std::nullopt;  // Foundation not loaded
  using SendId = id (*)(id, SEL);
  using SendLong = long (*)(id, SEL);
  id process_info =
      reinterpret_cast<SendId>(objc_msgSend)(reinterpret_cast<id>(process_info_class), sel_registerName("processInfo"));
  if (process_info == nullptr) return std::nullopt;
  const long state = reinterpret_cast<SendLong>(objc_msgSend)(process_info, sel_registerName("thermalState"));
  return static_cast<int>(state);
}

}  // namespace

struct ThermalReader::Platform {
  int pressure_token = -1;
  Platform() {
    if (notify_register_check("com.apple.system.thermalpressurelevel", &pressure_token) != NOTIFY_STATUS_OK) {
      pressure_token = -1;
    }
  }
  ~Platform() {
    if (pressure_token >= 0) notify_cancel(pressure_token);
  }
};

ThermalReader::ThermalReader(const HostPaths&) : platform_(new Platform) {}

ThermalReader::~ThermalReader() = default;

ThermalSample ThermalReader::Read() {
  ThermalSample sample;
  sample.os_thermal_state = ProcessInfoThermalState();
  uint64_t level = 0;
  if (platform_->pressure_token >= 0 && notify_get_state(platform_->pressure_token, &level) == NOTIFY_STATUS_OK) {
    sample.os_pressure_level = static_cast<int>(level);  // 0 nominal, 1 moderate, 2 heavy, 3 trapping, 4 sleeping
  }
  return sample;
}

}  // namespace silicon
