#include "collectors/disk/darwin_block_storage.h"
#include "collectors/disk/disk_collector.h"
#include "core/darwin_handles.h"

// Disk I/O from every IOBlockStorageDriver's "Statistics" dictionary (public IOKit registry
// properties, no root), named by the BSD disk of the IOMedia below it, as iostat(8) does.
// Compiled for arm64-apple-macos13; not yet run on a Mac.
namespace silicon {
namespace {

std::optional<long long> Statistic(CFDictionaryRef statistics, CFStringRef key) {
  return CFNumberValue(CFDictionaryGetValue(statistics, key));
}

// The BSD name ("disk0") of the first IOMedia child of the driver; empty when it has none.
std::string BsdName(io_object_t driver) {
  io_registry_entry_t raw_media = 0;
  if (IORegistryEntryGetChildEntry(driver, kIOServicePlane, &raw_media) != KERN_SUCCESS) return {};
  const IOObject media(raw_media);
  const CFRef<CFTypeRef> name(IORegistryEntryCreateCFProperty(media.get(), CFSTR("BSD Name"), kCFAllocatorDefault, 0));
  return CFStringValue(name.get());
}

}  // namespace

struct DiskReader::Platform {};

DiskReader::DiskReader(const HostPaths&) : platform_(new Platform) {}

DiskReader::~DiskReader() = default;

DiskSample DiskReader::Read() {
  DiskSample sample;
  io_iterator_t raw_iterator = 0;
  // IOServiceGetMatchingServices consumes the matching dictionary: no CFRelease for it.
  if (IOServiceGetMatchingServices(kIOMainPortDefault, IOServiceMatching("IOBlockStorageDriver"), &raw_iterator) !=
      KERN_SUCCESS) {
    return sample;
  }
  const IOObject iterator(raw_iterator);
  while (io_object_t raw_driver = IOIteratorNext(iterator.get())) {
    const IOObject driver(raw_driver);
    const CFRef<CFTypeRef> statistics(
        IORegistryEntryCreateCFProperty(driver.get(), CFSTR("Statistics"), kCFAllocatorDefault, 0));
    if (!statistics || CFGetTypeID(statistics.get()) != CFDictionaryGetTypeID()) continue;
    const auto table = static_cast<CFDictionaryRef>(statistics.get());
    BlockStorageStatistics raw;
    raw.bsd_name = BsdName(driver.get());
    raw.bytes_read = Statistic(table, CFSTR("Bytes (Read)"));
    raw.bytes_written = Statistic(table, CFSTR("Bytes (Write)"));
    raw.reads = Statistic(table, CFSTR("Operations (Read)"));
    raw.writes = Statistic(table, CFSTR("Operations (Write)"));
    raw.read_time_ns = Statistic(table, CFSTR("Total Time (Read)"));
    raw.write_time_ns = Statistic(table, CFSTR("Total Time (Write)"));
    if (auto disk = DiskStatsFromBlockStorage(raw)) sample.disks.push_back(std::move(*disk));
  }
  return sample;
}

}  // namespace silicon
