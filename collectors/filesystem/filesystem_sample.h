#pragma once

#include <optional>
#include <string>
#include <vector>

namespace silicon {

/// What statvfs/statfs says of one mounted file system, in bytes and inodes.
struct FilesystemUsage {
  double size_bytes = 0;
  double free_bytes = 0;   // free blocks, the root-reserved ones included
  double avail_bytes = 0;  // what an unprivileged user can still write
  double files = 0;
  double files_free = 0;
};

/// One mount point.
struct Filesystem {
  std::string device;      // the mount source: /dev/nvme0n1p2, tmpfs, server:/export
  std::string mountpoint;  // as the host sees it (without --path.rootfs)
  std::string fstype;
  bool readonly = false;
  std::optional<FilesystemUsage> usage;  // none when the stat failed or timed out
  bool device_error = false;             // the stat failed, timed out, or still hangs from before
};

/// Every mount the reader kept after its exclude patterns.
struct FilesystemSample {
  std::vector<Filesystem> filesystems;
};

}  // namespace silicon
