#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/text_file.h"

namespace silicon {

/// A procfs/sysfs/cgroupfs file opened once and re-read from offset 0 on every scrape, as top(1)
/// does with /proc/stat: the kernel regenerates the text on each read at offset 0, and the scrape
/// saves the path lookup, open and close. Files on other file systems (or with may_keep false) are
/// opened afresh for every read. When a kept descriptor fails (its cgroup was removed and made
/// again, a sensor replugged), the file is opened again once at once.
class KeptOpenFile {
 public:
  explicit KeptOpenFile(std::filesystem::path path, ReadEnd end = ReadEnd::kAtEof, bool may_keep = true)
      : path_(std::move(path)), end_(end), may_keep_(may_keep) {}
  ~KeptOpenFile();
  KeptOpenFile(const KeptOpenFile&) = delete;
  KeptOpenFile& operator=(const KeptOpenFile&) = delete;
  KeptOpenFile(KeptOpenFile&& other) noexcept;
  KeptOpenFile& operator=(KeptOpenFile&&) = delete;

  /// The whole current content (at most max_bytes), or nullopt when the file is missing or
  /// unreadable right now.
  std::optional<std::string> Read(std::size_t max_bytes = kMaxTextFileBytes);

  /// For a kept /proc/<pid>/mountinfo: true when the kernel reports no mount or unmount in its
  /// namespace since the file was opened or this was last asked (poll's POLLPRI, which
  /// fs/proc_namespace.c mounts_poll raises on every change). False whenever that is not known
  /// (not open, not kept, a regular file of a fixture tree, poll failed): then read afresh.
  bool MountTableUnchanged() const;

  const std::filesystem::path& path() const { return path_; }

 private:
  void Close();
  std::optional<std::string> ReadOnce(std::size_t max_bytes);

  std::filesystem::path path_;
  ReadEnd end_ = ReadEnd::kAtEof;
  bool may_keep_ = true;
  int fd_ = -1;
  bool keep_ = false;  // on a regenerating file system: keep the descriptor between reads
};

}  // namespace silicon
