#include "collectors/filesystem/darwin_statfs.h"

namespace silicon {

Filesystem FilesystemFromStatfs(const RawStatfs& raw) {
  const double block = static_cast<double>(raw.bsize);
  FilesystemUsage usage{static_cast<double>(raw.blocks) * block, static_cast<double>(raw.bfree) * block,
                        static_cast<double>(raw.bavail) * block, static_cast<double>(raw.files),
                        static_cast<double>(raw.ffree)};
  return Filesystem{raw.mntfromname, raw.mntonname, raw.fstypename, raw.rdonly, usage, false};
}

}  // namespace silicon
