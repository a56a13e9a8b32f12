#include <sys/statvfs.h>

#include <string_view>

#include "collectors/filesystem/filesystem_collector.h"
#include "collectors/filesystem/mountinfo.h"
#include "collectors/filesystem/statvfs_runner.h"
#include "core/kept_open_file.h"
#include "core/log.h"
#include "core/name_filter.h"

namespace silicon {

// Pseudo and virtual file systems, and what container engines mount per container: node_exporter's
// defaults (collector/filesystem_linux.go), so dashboards built for it see the same mounts.
std::string DefaultMountPointsExclude() {
  return "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
}

std::string DefaultFsTypesExclude() {
  return "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|"
         "overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$";
}

namespace {

// Local file systems answer statfs from counters in memory (ext4_statfs, xfs_fs_statfs,
// btrfs_statfs, shmem_statfs...): no device I/O, no server, nothing to wait for. They are asked
// on the scrape's own thread. Every other type (NFS, CIFS, FUSE, 9p, Ceph, anything unknown) may
// wait on a server or daemon and goes through the StatvfsRunner with its timeout; handing calls
// to that thread was most of the collector's system time on a laptop (strace: 17 futex calls per
// scrape for 3 mounts before this split).
bool StatfsAnswersFromMemory(std::string_view fstype) {
  static constexpr std::string_view kLocal[] = {"ext2",  "ext3",    "ext4",   "xfs",      "btrfs", "vfat",
                                                "msdos", "exfat",   "f2fs",   "ntfs3",    "jfs",   "tmpfs",
                                                "ramfs", "hfsplus", "nilfs2", "reiserfs", "erofs", "udf"};
  for (const auto local : kLocal) {
    if (fstype == local) return true;
  }
  return false;
}

// A mount the patterns keep, with where to stat it and how.
struct KeptMount {
  MountEntry entry;
  std::string stat_path;  // under --path.rootfs
  bool local = false;     // StatfsAnswersFromMemory
};

}  // namespace

struct FilesystemReader::Platform {
  HostPaths paths;
  // PID 1's mount table is the host's even when the exporter runs in a container with the host's
  // /proc at --path.procfs; self/ (the exporter's own) is the fallback where PID 1's is not readable.
  KeptOpenFile init_mountinfo;
  KeptOpenFile own_mountinfo;
  NameFilter mount_points;
  NameFilter fs_types;
  StatvfsRunner runner;
  // The mount table changes seldom and costs ~14 us of kernel time to print plus its parse: it is
  // read again only when the kernel says it changed (KeptOpenFile::MountTableUnchanged).
  std::vector<KeptMount> mounts;
  const KeptOpenFile* mounts_from = nullptr;

  const std::vector<KeptMount>& Mounts();
};

const std::vector<KeptMount>& FilesystemReader::Platform::Mounts() {
  if (mounts_from != nullptr && mounts_from->MountTableUnchanged()) return mounts;
  mounts_from = &init_mountinfo;
  auto text = init_mountinfo.Read();
  if (!text) {
    mounts_from = &own_mountinfo;
    text = own_mountinfo.Read();
  }
  if (!text) {
    mounts_from = nullptr;
    throw NoDataError("no mount table under " + paths.procfs.string());
  }
  mounts.clear();
  const bool prefixed = paths.rootfs != "/";
  for (auto& entry : ParseMountinfo(*text)) {
    if (!mount_points.Keeps(entry.mountpoint) || !fs_types.Keeps(entry.fstype)) continue;
    // With the host's / at --path.rootfs, its mount points live under that prefix for us.
    auto path = prefixed ? (paths.rootfs / entry.mountpoint.substr(1)).string() : entry.mountpoint;
    const bool local = StatfsAnswersFromMemory(entry.fstype);
    mounts.push_back({std::move(entry), std::move(path), local});
  }
  return mounts;
}

FilesystemReader::FilesystemReader(const HostPaths& paths, const FilesystemOptions& options)
    : platform_(
          new Platform{paths,
                       KeptOpenFile(paths.procfs / "1/mountinfo"),
                       KeptOpenFile(paths.procfs / "self/mountinfo"),
                       NameFilter(options.mount_points_exclude.value_or(DefaultMountPointsExclude())),
                       NameFilter(options.fs_types_exclude.value_or(DefaultFsTypesExclude())),
                       StatvfsRunner(std::chrono::milliseconds(static_cast<long>(options.stat_timeout_seconds * 1000))),
                       {},
                       nullptr}) {}

FilesystemReader::~FilesystemReader() = default;

FilesystemSample FilesystemReader::Read() {
  auto& p = *platform_;
  const auto& mounts = p.Mounts();
  FilesystemSample sample;
  std::vector<StatvfsRunner::Result> results(mounts.size());
  std::vector<std::string> remote_paths;  // for the runner
  std::vector<std::size_t> remote_at;     // their places in results
  for (std::size_t i = 0; i < mounts.size(); ++i) {
    const auto& mount = mounts[i];
    if (mount.local) {
      struct statvfs stat {};
      if (statvfs(mount.stat_path.c_str(), &stat) == 0) results[i].stat = stat;
    } else {
      remote_paths.push_back(mount.stat_path);
      remote_at.push_back(i);
    }
    sample.filesystems.push_back(
        {mount.entry.device, mount.entry.mountpoint, mount.entry.fstype, mount.entry.readonly, std::nullopt, false});
  }
  if (!remote_paths.empty()) {
    auto remote = p.runner.StatAll(remote_paths);
    for (std::size_t k = 0; k < remote.size(); ++k) results[remote_at[k]] = std::move(remote[k]);
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto& fs = sample.filesystems[i];
    const auto& result = results[i];
    if (!result.stat) {
      fs.device_error = true;
      if (result.stuck) {
        log::Debug("stat hangs; not asked again until it returns",
                   {{"collector", "filesystem"}, {"mountpoint", fs.mountpoint}});
      }
      continue;
    }
    const auto& st = *result.stat;
    const double block = static_cast<double>(st.f_frsize);
    fs.usage = FilesystemUsage{static_cast<double>(st.f_blocks) * block, static_cast<double>(st.f_bfree) * block,
                               static_cast<double>(st.f_bavail) * block, static_cast<double>(st.f_files),
                               static_cast<double>(st.f_ffree)};
    // The kernel may have remounted it read-only since the mount table was written out.
    if (st.f_flag & ST_RDONLY) fs.readonly = true;
  }
  return sample;
}

}  // namespace silicon
