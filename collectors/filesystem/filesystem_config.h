#pragma once

#include <optional>
#include <string>

#include "core/collector_config.h"

namespace silicon {

/// Options of the filesystem collector (collectors.filesystem in the config file).
struct FilesystemOptions {
  /// Mount points and file system types left out; unset: the platform's default
  /// (DefaultMountPointsExclude / DefaultFsTypesExclude), pseudo file systems and container layers.
  std::optional<std::string> mount_points_exclude;
  std::optional<std::string> fs_types_exclude;
  /// How long one statvfs may take before its mount is reported as a device error and left alone
  /// until that call returns (a dead NFS server, a FUSE daemon that never answers). Below the
  /// scrape's collector timeout, so one hung mount costs one scrape this long, once.
  double stat_timeout_seconds = 1;
};

/// The platform's default patterns (filesystem_reader_<platform>.cpp).
std::string DefaultMountPointsExclude();
std::string DefaultFsTypesExclude();

/// The filesystem collector's config: collectors.filesystem.{mount_points_exclude,
/// fs_types_exclude, stat_timeout_seconds}.
class FilesystemConfig final : public CopyableCollectorConfig<FilesystemConfig> {
 public:
  FilesystemOptions options;

  void AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) override;
  std::unique_ptr<Collector> Create(const HostPaths& paths) const override;
};

}  // namespace silicon
