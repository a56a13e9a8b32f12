#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace silicon {

/// A procfs/sysfs file opened once and re-read from offset 0 on every scrape, as top(1) does with
/// /proc/stat: the kernel regenerates the text on each read at offset 0, and the scrape saves the
/// path lookup, open and close. Files on other file systems are opened afresh for every read. A
/// read that fails closes the file; the next read opens it again.
class KeptOpenFile {
 public:
  explicit KeptOpenFile(std::filesystem::path path) : path_(std::move(path)) {}
  ~KeptOpenFile();
  KeptOpenFile(const KeptOpenFile&) = delete;
  KeptOpenFile& operator=(const KeptOpenFile&) = delete;
  KeptOpenFile(KeptOpenFile&& other) noexcept;
  KeptOpenFile& operator=(KeptOpenFile&&) = delete;

  /// The whole current content, or nullopt when the file is missing or unreadable right now.
  std::optional<std::string> Read();

  const std::filesystem::path& path() const { return path_; }

 private:
  void Close();

  std::filesystem::path path_;
  int fd_ = -1;
  bool keep_ = false;  // on procfs or sysfs: keep the descriptor between reads
};

}  // namespace silicon
