#include "core/darwin_handles.h"
#include "collectors/gpu/accelerator_stats.h"
#include "collectors/gpu/gpu_collector.h"

// Apple GPUs through the IOAccelerator services' PerformanceStatistics (public IOKit registry
// properties, no root). Frequency and power need the private IOReport library: not read.
// Compiled for arm64-apple-macos13; not yet run on a Mac.
namespace silicon {
namespace {

std::optional<long long> DictionaryNumber(CFDictionaryRef dictionary, const char* key) {
  const CFRef<CFStringRef> name(CFStringCreateWithCString(kCFAllocatorDefault, key, kCFStringEncodingUTF8));
  return CFNumberValue(CFDictionaryGetValue(dictionary, name.get()));
}

class IOAcceleratorBackend : public GpuBackend {
 public:
  const char* Name() const override { return "ioaccelerator"; }

  std::vector<GpuDevice> Read() override {
    std::vector<GpuDevice> devices;
    io_iterator_t raw_iterator = 0;
    // IOServiceGetMatchingServices consumes the matching dictionary: no CFRelease for it.
    if (IOServiceGetMatchingServices(kIOMainPortDefault, IOServiceMatching("IOAccelerator"), &raw_iterator) !=
        KERN_SUCCESS) {
      return devices;
    }
    const IOObject iterator(raw_iterator);
    while (io_object_t raw_service = IOIteratorNext(iterator.get())) {
      const IOObject service(raw_service);
      AcceleratorStats stats;
      io_name_t class_name = {};
      if (IOObjectGetClass(service.get(), class_name) == KERN_SUCCESS) stats.class_name = class_name;
      const CFRef<CFTypeRef> model(IORegistryEntryCreateCFProperty(service.get(), CFSTR("model"), kCFAllocatorDefault, 0));
      stats.model = CFStringValue(model.get());
      const CFRef<CFTypeRef> cores(
          IORegistryEntryCreateCFProperty(service.get(), CFSTR("gpu-core-count"), kCFAllocatorDefault, 0));
      stats.gpu_core_count = CFNumberValue(cores.get());
      const CFRef<CFTypeRef> performance(
          IORegistryEntryCreateCFProperty(service.get(), CFSTR("PerformanceStatistics"), kCFAllocatorDefault, 0));
      if (performance && CFGetTypeID(performance.get()) == CFDictionaryGetTypeID()) {
        const auto dictionary = static_cast<CFDictionaryRef>(performance.get());
        stats.device_utilization_percent = DictionaryNumber(dictionary, "Device Utilization %");
        stats.in_use_system_memory = DictionaryNumber(dictionary, "In use system memory");
        stats.alloc_system_memory = DictionaryNumber(dictionary, "Alloc system memory");
      }
      devices.push_back(GpuDeviceFromAccelerator(stats));
    }
    return devices;
  }
};

}  // namespace

std::vector<std::unique_ptr<GpuBackend>> MakeGpuBackends(const HostPaths&) {
  std::vector<std::unique_ptr<GpuBackend>> backends;
  backends.push_back(std::make_unique<IOAcceleratorBackend>());
  return backends;
}

}  // namespace silicon
