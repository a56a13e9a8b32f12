#include "collectors/common/text_file.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cmath>
#include <fstream>
#include <system_error>

namespace silicon {

std::optional<std::string> ReadTextFile(const std::filesystem::path& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  // sysfs reports a size of 4096 for every attribute, so read until EOF instead of trusting it.
  std::string text;
  char buffer[4096];
  while (text.size() < max_bytes) {
    in.read(buffer, sizeof buffer);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got == 0) break;
    text.append(buffer, std::min(got, max_bytes - text.size()));
  }
  if (in.bad()) return std::nullopt;  // e.g. EIO from a hwmon sensor that went away
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

std::optional<std::int64_t> ReadInteger(const std::filesystem::path& path) {
  const auto text = ReadTextFile(path, 256);
  if (!text) return std::nullopt;
  return ParseInteger(*text);
}

}  // namespace silicon
