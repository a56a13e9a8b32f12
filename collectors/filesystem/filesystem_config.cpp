#include "collectors/filesystem/filesystem_config.h"

#include "collectors/filesystem/filesystem_collector.h"
#include "core/name_filter.h"

namespace silicon {

void FilesystemConfig::AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) {
  handlers["mount_points_exclude"] = walk.StringInto(options.mount_points_exclude, &CheckNamePattern);
  handlers["fs_types_exclude"] = walk.StringInto(options.fs_types_exclude, &CheckNamePattern);
  handlers["stat_timeout_seconds"] = walk.NumberInto(options.stat_timeout_seconds, &CheckTimeout);
}

std::unique_ptr<Collector> FilesystemConfig::Create(const HostPaths& paths) const {
  return std::make_unique<FilesystemCollector>(paths, options);
}

}  // namespace silicon
