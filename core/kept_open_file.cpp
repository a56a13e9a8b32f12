#include "core/kept_open_file.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/magic.h>
#include <sys/vfs.h>
#endif

#include "core/text_file.h"

namespace silicon {

KeptOpenFile::~KeptOpenFile() { Close(); }

KeptOpenFile::KeptOpenFile(KeptOpenFile&& other) noexcept
    : path_(std::move(other.path_)), end_(other.end_), may_keep_(other.may_keep_), fd_(other.fd_), keep_(other.keep_) {
  other.fd_ = -1;
}

namespace {

// Only procfs, sysfs and the cgroup file systems regenerate a file on each read at offset 0. A
// regular file (a fixture tree, a bind mount of a copy) may be replaced by rename, which a kept
// descriptor would never see.
bool RegeneratedOnRead(int fd) {
#if defined(__linux__)
  struct statfs fs {};
  if (fstatfs(fd, &fs) != 0) return false;
  return fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC || fs.f_type == CGROUP_SUPER_MAGIC ||
         fs.f_type == CGROUP2_SUPER_MAGIC;
#else
  (void)fd;
  return false;
#endif
}

}  // namespace

bool KeptOpenFile::MountTableUnchanged() const {
  if (fd_ < 0 || !keep_) return false;
  pollfd watch{fd_, POLLPRI, 0};
  return poll(&watch, 1, 0) == 0;  // no POLLPRI (and no POLLERR): nothing mounted or unmounted
}

void KeptOpenFile::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
}

std::optional<std::string> KeptOpenFile::Read(std::size_t max_bytes) {
  const bool was_open = fd_ >= 0;
  auto text = ReadOnce(max_bytes);
  if (!text && was_open) text = ReadOnce(max_bytes);  // the kept descriptor went stale: once afresh
  return text;
}

std::optional<std::string> KeptOpenFile::ReadOnce(std::size_t max_bytes) {
  if (fd_ < 0) {
    fd_ = open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return std::nullopt;
    keep_ = may_keep_ && RegeneratedOnRead(fd_);
  }
  auto text = ReadFromStart(fd_, max_bytes, end_);
  if (!text) {
    Close();  // the file went away (a sensor unplugged) or broke: start over next time
    return std::nullopt;
  }
  if (!keep_) Close();
  return text;
}

}  // namespace silicon
