#include <notify.h>
#include <objc/message.h>
#include <objc/runtime.h>

#include <algorithm>
#include <string>

#include "collectors/thermal/hid_temperatures.h"
#include "collectors/thermal/thermal_collector.h"
#include "core/apple_smc_darwin.h"
#include "core/darwin_handles.h"

// macOS thermal state through public APIs: NSProcessInfo.thermalState (via the Objective-C
// runtime, so this stays a C++ file) and the thermal pressure notify key. Temperatures from the
// IOHIDEventSystemClient functions of IOKit (exported but not in the public headers: declared
// here as the sudo-less monitors use them), fans from the SMC. None needs root.
// Compiled for arm64-apple-macos13; not yet run on a Mac.
extern "C" {
// The Objective-C runtime's pool functions (what @autoreleasepool compiles to); not in a public header.
void* objc_autoreleasePoolPush(void);
void objc_autoreleasePoolPop(void* pool);

typedef struct __IOHIDEventSystemClient* IOHIDEventSystemClientRef;
typedef struct __IOHIDServiceClient* IOHIDServiceClientRef;
typedef struct __IOHIDEvent* IOHIDEventRef;
IOHIDEventSystemClientRef IOHIDEventSystemClientCreate(CFAllocatorRef allocator);
int IOHIDEventSystemClientSetMatching(IOHIDEventSystemClientRef client, CFDictionaryRef matching);
CFArrayRef IOHIDEventSystemClientCopyServices(IOHIDEventSystemClientRef client);
CFTypeRef IOHIDServiceClientCopyProperty(IOHIDServiceClientRef service, CFStringRef key);
IOHIDEventRef IOHIDServiceClientCopyEvent(IOHIDServiceClientRef service, int64_t type, int32_t options, int64_t timestamp);
double IOHIDEventGetFloatValue(IOHIDEventRef event, int32_t field);
}

namespace silicon {
namespace {

constexpr int kAppleVendorUsagePage = 0xff00;
constexpr int kTemperatureSensorUsage = 5;
constexpr int64_t kTemperatureEventType = 15;  // kIOHIDEventTypeTemperature
constexpr int32_t kTemperatureField = kTemperatureEventType << 16;

/// Pops the pool on every path: Objective-C objects autoreleased on a web-server thread, which has
/// no pool of its own, would otherwise leak once per scrape.
class AutoreleasePool {
 public:
  AutoreleasePool() : pool_(objc_autoreleasePoolPush()) {}
  ~AutoreleasePool() { objc_autoreleasePoolPop(pool_); }
  AutoreleasePool(const AutoreleasePool&) = delete;
  AutoreleasePool& operator=(const AutoreleasePool&) = delete;

 private:
  void* pool_;
};

// NSProcessInfoThermalState: 0 nominal, 1 fair, 2 serious, 3 critical.
std::optional<int> ProcessInfoThermalState() {
  const AutoreleasePool pool;
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

CFRef<CFDictionaryRef> TemperatureMatching() {
  const int page = kAppleVendorUsagePage, usage = kTemperatureSensorUsage;
  const CFRef<CFNumberRef> page_number(CFNumberCreate(kCFAllocatorDefault, kCFNumberIntType, &page));
  const CFRef<CFNumberRef> usage_number(CFNumberCreate(kCFAllocatorDefault, kCFNumberIntType, &usage));
  const void* keys[] = {CFSTR("PrimaryUsagePage"), CFSTR("PrimaryUsage")};
  const void* values[] = {page_number.get(), usage_number.get()};
  return CFRef<CFDictionaryRef>(CFDictionaryCreate(kCFAllocatorDefault, keys, values, 2, &kCFTypeDictionaryKeyCallBacks,
                                                   &kCFTypeDictionaryValueCallBacks));
}

std::vector<HidTemperature> HidTemperatures(IOHIDEventSystemClientRef client) {
  std::vector<HidTemperature> readings;
  if (client == nullptr) return readings;
  const CFRef<CFArrayRef> services(IOHIDEventSystemClientCopyServices(client));
  if (!services) return readings;
  for (CFIndex i = 0; i < CFArrayGetCount(services.get()); ++i) {
    const auto service = static_cast<IOHIDServiceClientRef>(const_cast<void*>(CFArrayGetValueAtIndex(services.get(), i)));
    if (service == nullptr) continue;
    const CFRef<CFTypeRef> product(IOHIDServiceClientCopyProperty(service, CFSTR("Product")));
    const CFRef<CFTypeRef> event(IOHIDServiceClientCopyEvent(service, kTemperatureEventType, 0, 0));
    if (!product || !event) continue;
    readings.push_back({CFStringValue(product.get()),
                        IOHIDEventGetFloatValue(static_cast<IOHIDEventRef>(const_cast<void*>(event.get())),
                                                kTemperatureField)});
  }
  return readings;
}

}  // namespace

struct ThermalReader::Platform {
  int pressure_token = -1;
  IOHIDEventSystemClientRef hid = nullptr;
  std::unique_ptr<AppleSmc> smc = AppleSmc::Open();
  // FNum, read once: the fans a Mac has do not change while it runs (none on a MacBook Air).
  int fans = smc ? static_cast<int>(std::clamp(smc->ReadNumber("FNum").value_or(0), 0.0, 10.0)) : 0;
  Platform() {
    if (notify_register_check("com.apple.system.thermalpressurelevel", &pressure_token) != NOTIFY_STATUS_OK) {
      pressure_token = -1;
    }
    hid = IOHIDEventSystemClientCreate(kCFAllocatorDefault);
    if (hid != nullptr) {
      const auto matching = TemperatureMatching();
      if (matching) IOHIDEventSystemClientSetMatching(hid, matching.get());
    }
  }
  ~Platform() {
    if (pressure_token >= 0) notify_cancel(pressure_token);
    if (hid != nullptr) CFRelease(hid);
  }
};

ThermalReader::ThermalReader(const HostPaths&, std::chrono::milliseconds) : platform_(new Platform) {}

ThermalReader::~ThermalReader() = default;

ThermalSample ThermalReader::Read() {
  ThermalSample sample;
  sample.os_thermal_state = ProcessInfoThermalState();
  uint64_t level = 0;
  if (platform_->pressure_token >= 0 && notify_get_state(platform_->pressure_token, &level) == NOTIFY_STATUS_OK) {
    sample.os_pressure_level = static_cast<int>(level);  // 0 nominal, 1 moderate, 2 heavy, 3 trapping, 4 sleeping
  }
  sample.temperatures = TemperaturesFromHid(HidTemperatures(platform_->hid));
  if (platform_->smc) {
    for (int fan = 0; fan < platform_->fans; ++fan) {  // F<n>Ac: each fan's actual rpm
      const std::string key = "F" + std::to_string(fan) + "Ac";
      if (const auto rpm = platform_->smc->ReadNumber(key); rpm && *rpm >= 0) {
        sample.fans.push_back({"smc", "fan" + std::to_string(fan), *rpm});
      }
    }
  }
  return sample;
}

}  // namespace silicon
