#pragma once

#include <memory>

#include "collectors/disk/disk_config.h"
#include "collectors/disk/disk_sample.h"
#include "core/collector.h"
#include "core/host_paths.h"
#include "core/name_filter.h"

namespace silicon {

/// Reads block device counters on this platform (disk_reader_<platform>.cpp).
class DiskReader {
 public:
  explicit DiskReader(const HostPaths& paths);
  ~DiskReader();
  DiskReader(const DiskReader&) = delete;
  DiskReader& operator=(const DiskReader&) = delete;

  DiskSample Read();

 private:
  struct Platform;
  std::unique_ptr<Platform> platform_;
};

/// Maps the disks the filter keeps to the silicon_disk_* families (pure); throws NoDataError when
/// the platform found no disk at all.
Families DiskFamilies(const DiskSample& sample, const NameFilter& filter);

/// Disk I/O per block device.
class DiskCollector : public Collector {
 public:
  DiskCollector(const HostPaths& paths, const DiskOptions& options) : reader_(paths), filter_(options.device_exclude) {}
  Families Collect() override { return DiskFamilies(reader_.Read(), filter_); }

 private:
  DiskReader reader_;
  NameFilter filter_;
};

}  // namespace silicon
