#pragma once

#include <memory>

#include "collectors/filesystem/filesystem_config.h"
#include "collectors/filesystem/filesystem_sample.h"
#include "core/collector.h"
#include "core/host_paths.h"

namespace silicon {

/// Lists mounts and their usage on this platform (filesystem_reader_<platform>.cpp), leaving out
/// what the options exclude before any stat.
class FilesystemReader {
 public:
  FilesystemReader(const HostPaths& paths, const FilesystemOptions& options);
  ~FilesystemReader();
  FilesystemReader(const FilesystemReader&) = delete;
  FilesystemReader& operator=(const FilesystemReader&) = delete;

  FilesystemSample Read();

 private:
  struct Platform;
  std::unique_ptr<Platform> platform_;
};

/// Maps mounts to the silicon_filesystem_* families (pure); throws NoDataError when none is left.
Families FilesystemFamilies(const FilesystemSample& sample);

/// Size, free space and inodes per mounted file system.
class FilesystemCollector : public Collector {
 public:
  FilesystemCollector(const HostPaths& paths, const FilesystemOptions& options) : reader_(paths, options) {}
  Families Collect() override { return FilesystemFamilies(reader_.Read()); }

 private:
  FilesystemReader reader_;
};

}  // namespace silicon
