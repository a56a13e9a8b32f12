#include "core/text_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

namespace silicon {

std::optional<std::string> ReadFromStart(int fd, std::size_t max_bytes, ReadEnd end) {
  // sysfs reports a size of 4096 for every attribute, so read to the end instead of trusting it.
  std::string text;
  char buffer[8192];
  while (text.size() < max_bytes) {
    const ssize_t got = pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return std::nullopt;  // EIO from a hwmon sensor that went away, EISDIR, ...
    if (got == 0) break;
    text.append(buffer, std::min(static_cast<std::size_t>(got), max_bytes - text.size()));
    // A short read ends only files printed in one go (ReadEnd): stopping at the first short read
    // of every file cut /proc/1/mountinfo at 4055 of its 5932 bytes and dropped the mounts after it.
    if (end == ReadEnd::kAtShortRead && static_cast<std::size_t>(got) < sizeof buffer) break;
  }
  return text;
}

std::optional<std::string> ReadTextFile(const std::filesystem::path& path, std::size_t max_bytes) {
  // Plain open/read: an ifstream costs more in locale set-up than the read itself, on every scrape.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  auto text = ReadFromStart(fd, max_bytes);
  close(fd);
  return text;
}

std::string_view TrimSpace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r\f\v";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

std::optional<std::int64_t> ParseInteger(std::string_view text) {
  text = TrimSpace(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

std::optional<double> ParseNumber(std::string_view text) {
  // strtod rather than from_chars: Apple's libc++ for macOS 13 has no floating-point from_chars.
  // The exporter never calls setlocale, so strtod parses in the "C" locale (a '.' separator).
  const std::string copy(TrimSpace(text));
  if (copy.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(copy.c_str(), &end);
  if (errno == ERANGE || end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

void Fields::push_back(std::string_view field) {
  if (size_ == kInline && spilled_.empty()) spilled_.assign(inline_.begin(), inline_.end());
  if (spilled_.empty()) {
    inline_[size_] = field;
  } else {
    spilled_.push_back(field);
  }
  ++size_;
}

Fields SplitFields(std::string_view line) {
  Fields fields;
  const auto blank = [](char c) { return c == ' ' || c == '\t'; };
  std::size_t pos = 0;
  const std::size_t size = line.size();
  while (true) {
    while (pos < size && blank(line[pos])) ++pos;
    if (pos == size) break;
    const std::size_t start = pos;
    while (pos < size && !blank(line[pos])) ++pos;
    fields.push_back(line.substr(start, pos - start));
  }
  return fields;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

std::optional<std::int64_t> ReadInteger(const std::filesystem::path& path) {
  const auto text = ReadTextFile(path, 256);
  if (!text) return std::nullopt;
  return ParseInteger(*text);
}

std::optional<double> ParseNonNegative(std::string_view text, double scale) {
  const auto value = ParseInteger(text);
  if (!value || *value < 0) return std::nullopt;
  return static_cast<double>(*value) * scale;
}

std::optional<double> ReadNonNegative(const std::filesystem::path& path, double scale) {
  const auto text = ReadTextFile(path, 256);
  return text ? ParseNonNegative(*text, scale) : std::nullopt;
}

}  // namespace silicon
