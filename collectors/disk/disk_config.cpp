#include "collectors/disk/disk_config.h"

#include "collectors/disk/disk_collector.h"
#include "core/name_filter.h"

namespace silicon {

void DiskConfig::AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) {
  handlers["device_exclude"] = walk.StringInto(options.device_exclude, &CheckNamePattern);
}

std::unique_ptr<Collector> DiskConfig::Create(const HostPaths& paths) const {
  return std::make_unique<DiskCollector>(paths, options);
}

}  // namespace silicon
