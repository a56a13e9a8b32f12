#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace silicon {

/// Largest file the readers will take in: procfs and sysfs files are small, so anything bigger is
/// not what we expect and is cut rather than allowed to grow memory without bound.
inline constexpr std::size_t kMaxTextFileBytes = 1 << 20;

/// Where a read of a whole file may stop. A procfs seq_file of many records (mountinfo, net/dev,
/// diskstats, vmstat) hands out at most one page per read, so only EOF ends it. A file the kernel
/// prints in one go (single_open: meminfo, stat, loadavg, pressure, <pid>/stat), a sysfs attribute
/// or a regular file ends at the first short read, which saves a second, empty read per scrape.
enum class ReadEnd { kAtEof, kAtShortRead };

/// Reads an open file from offset 0 to its end (at most max_bytes); nullopt when a read fails.
std::optional<std::string> ReadFromStart(int fd, std::size_t max_bytes = kMaxTextFileBytes,
                                         ReadEnd end = ReadEnd::kAtEof);

/// Reads a whole small file; nullopt when it is missing, unreadable or vanished mid-read.
std::optional<std::string> ReadTextFile(const std::filesystem::path& path, std::size_t max_bytes = kMaxTextFileBytes);

/// Strips ASCII whitespace from both ends.
std::string_view TrimSpace(std::string_view text);

/// Parses a whole (trimmed) decimal integer; nullopt on garbage, overflow or trailing text.
std::optional<std::int64_t> ParseInteger(std::string_view text);

/// Parses a whole (trimmed) decimal number; nullopt on garbage, NaN or infinity.
std::optional<double> ParseNumber(std::string_view text);

/// The fields of one line. Up to kInline are kept in place, more spill into a vector: the
/// parsers split thousands of procfs lines a second (vmstat, mountinfo, diskstats...), none with
/// more than ~20 fields, and a vector per line was a quarter of a scrape's instructions.
class Fields {
 public:
  static constexpr std::size_t kInline = 24;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::string_view operator[](std::size_t i) const { return data()[i]; }
  const std::string_view* begin() const { return data(); }
  const std::string_view* end() const { return data() + size_; }
  void push_back(std::string_view field);

 private:
  const std::string_view* data() const { return spilled_.empty() ? inline_.data() : spilled_.data(); }

  std::array<std::string_view, kInline> inline_{};
  std::vector<std::string_view> spilled_;  // every field, once there are more than kInline
  std::size_t size_ = 0;
};

/// Splits a line on runs of spaces and tabs.
Fields SplitFields(std::string_view line);

/// Splits text into lines (without their '\n'); a last line without '\n' counts too.
std::vector<std::string_view> SplitLines(std::string_view text);

/// Reads a file holding one integer (the sysfs convention); nullopt when missing or malformed.
std::optional<std::int64_t> ReadInteger(const std::filesystem::path& path);

/// Parses one counter or size (a whole, never negative integer), times scale; nullopt when
/// malformed or negative.
std::optional<double> ParseNonNegative(std::string_view text, double scale = 1);

/// Reads a file holding one counter or size (never negative), times scale; nullopt when missing,
/// malformed or negative.
std::optional<double> ReadNonNegative(const std::filesystem::path& path, double scale = 1);

}  // namespace silicon
