#include <stdexcept>

#include "collectors/disk/disk_collector.h"
#include "collectors/disk/diskstats.h"
#include "core/kept_open_file.h"

namespace silicon {

struct DiskReader::Platform {
  KeptOpenFile diskstats;
};

DiskReader::DiskReader(const HostPaths& paths) : platform_(new Platform{KeptOpenFile(paths.procfs / "diskstats")}) {}

DiskReader::~DiskReader() = default;

DiskSample DiskReader::Read() {
  const auto text = platform_->diskstats.Read();
  if (!text) throw NoDataError("no " + platform_->diskstats.path().string());
  return DiskSample{ParseDiskstats(*text)};
}

}  // namespace silicon
