#pragma once

#include <cstdint>
#include <string>

#include "collectors/filesystem/filesystem_sample.h"

namespace silicon {

/// The fields of one struct statfs from getfsstat(MNT_NOWAIT) (sys/mount.h), copied as they are.
struct RawStatfs {
  std::string mntfromname;  // f_mntfromname: /dev/disk3s5
  std::string mntonname;    // f_mntonname
  std::string fstypename;   // f_fstypename: apfs, smbfs, msdos
  bool rdonly = false;      // f_flags & MNT_RDONLY
  std::uint64_t bsize = 0;  // f_bsize: the unit of the block counts
  std::uint64_t blocks = 0, bfree = 0, bavail = 0;
  std::uint64_t files = 0, ffree = 0;
};

/// The mount in the shape every platform shares. APFS volumes of one container share its free
/// space: each volume reports the container's free and available blocks, so summing free space
/// over the volumes of one disk counts it several times.
Filesystem FilesystemFromStatfs(const RawStatfs& raw);

}  // namespace silicon
