#pragma once

#include <string>

#include "core/collector_config.h"

namespace silicon {

/// Options of the disk collector (collectors.disk in the config file).
struct DiskOptions {
  /// Partitions, RAM disks, loop devices and floppies: their I/O is counted again on the whole
  /// disk (or is not disk I/O at all). node_exporter's default, with zram added.
  std::string device_exclude = R"(^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p|mmcblk\d+p)\d+$)";
};

/// The disk collector's config: collectors.disk.device_exclude.
class DiskConfig final : public CopyableCollectorConfig<DiskConfig> {
 public:
  DiskOptions options;

  void AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) override;
  std::unique_ptr<Collector> Create(const HostPaths& paths) const override;
};

}  // namespace silicon
