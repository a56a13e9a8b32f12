#include <sys/mount.h>
#include <sys/param.h>
#include <sys/ucred.h>

#include <vector>

#include "collectors/filesystem/darwin_statfs.h"
#include "collectors/filesystem/filesystem_collector.h"
#include "core/name_filter.h"

// Mounts from getfsstat(MNT_NOWAIT): the kernel's cached statistics, so a dead network server
// cannot hang the call (no statvfs worker needed here). No root needed. Compiled for
// arm64-apple-macos13; not yet run on a Mac.
namespace silicon {

// devfs and autofs are not storage; the APFS system volumes under /System/Volumes (VM, Preboot,
// Update, xarts, iSCPreboot, Hardware) hold no user data but share the container's free space.
std::string DefaultMountPointsExclude() {
  return "^/(dev|System/Volumes/(VM|Preboot|Update|xarts|iSCPreboot|Hardware))($|/)";
}

std::string DefaultFsTypesExclude() { return "^(autofs|devfs|nullfs)$"; }

struct FilesystemReader::Platform {
  NameFilter mount_points;
  NameFilter fs_types;
  std::vector<struct statfs> buffer;
};

FilesystemReader::FilesystemReader(const HostPaths&, const FilesystemOptions& options)
    : platform_(new Platform{NameFilter(options.mount_points_exclude.value_or(DefaultMountPointsExclude())),
                             NameFilter(options.fs_types_exclude.value_or(DefaultFsTypesExclude())),
                             {}}) {}

FilesystemReader::~FilesystemReader() = default;

FilesystemSample FilesystemReader::Read() {
  auto& p = *platform_;
  const int count = getfsstat(nullptr, 0, MNT_NOWAIT);
  if (count <= 0) throw NoDataError("getfsstat found no mounts");
  p.buffer.resize(static_cast<std::size_t>(count) + 4);  // room for a mount appearing meanwhile
  const int filled = getfsstat(p.buffer.data(), static_cast<int>(p.buffer.size() * sizeof(struct statfs)), MNT_NOWAIT);
  FilesystemSample sample;
  for (int i = 0; i < filled; ++i) {
    const struct statfs& st = p.buffer[static_cast<std::size_t>(i)];
    const RawStatfs raw{st.f_mntfromname, st.f_mntonname, st.f_fstypename, (st.f_flags & MNT_RDONLY) != 0,
                        st.f_bsize,       st.f_blocks,    st.f_bfree,      st.f_bavail,
                        st.f_files,       st.f_ffree};
    if (!p.mount_points.Keeps(raw.mntonname) || !p.fs_types.Keeps(raw.fstypename)) continue;
    sample.filesystems.push_back(FilesystemFromStatfs(raw));
  }
  return sample;
}

}  // namespace silicon
