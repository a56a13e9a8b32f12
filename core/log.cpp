#include "core/log.h"

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <cmath>

namespace silicon::log {
namespace {

// ASCII "record separator": no message written through spdlog::info("...") starts with it.
constexpr char kMarker = '\x1e';

void AppendNetstring(std::string& out, std::string_view text) {
  out += std::to_string(text.size());
  out += ':';
  out += text;
}

// Reads one netstring at `at`, moving past it; false when the text there is not one.
bool ReadNetstring(std::string_view payload, std::size_t& at, std::string_view& text) {
  std::size_t length = 0;
  const auto* begin = payload.data() + at;
  const auto* end = payload.data() + payload.size();
  const auto [after, error] = std::from_chars(begin, end, length);
  if (error != std::errc() || after == begin || after == end || *after != ':') return false;
  const auto start = static_cast<std::size_t>(after - payload.data()) + 1;
  if (length > payload.size() - start) return false;
  text = payload.substr(start, length);
  at = start + length;
  return true;
}

void Write(spdlog::level::level_enum level, std::string_view msg, std::initializer_list<Field> fields) {
  auto* logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;  // no encoding for a debug line nobody prints
  const auto payload = EncodeRecord(msg, fields);
  logger->log(level, spdlog::string_view_t(payload.data(), payload.size()));
}

}  // namespace

Field::Field(std::string_view name, double number) : key(name) {
  if (!std::isfinite(number)) {  // JSON has no NaN or Inf: those stay strings
    value = std::isnan(number) ? "NaN" : (number > 0 ? "+Inf" : "-Inf");
    return;
  }
  // fmt's shortest form that reads back the same; std::to_chars for double needs macOS 13.3, and
  // the binary is built for 13.0 (tests/macos/compile_check.sh).
  value = fmt::format("{}", number);
  kind = Kind::kBare;
}

void Debug(std::string_view msg, std::initializer_list<Field> fields) { Write(spdlog::level::debug, msg, fields); }
void Info(std::string_view msg, std::initializer_list<Field> fields) { Write(spdlog::level::info, msg, fields); }
void Warn(std::string_view msg, std::initializer_list<Field> fields) { Write(spdlog::level::warn, msg, fields); }
void Error(std::string_view msg, std::initializer_list<Field> fields) { Write(spdlog::level::err, msg, fields); }

std::string EncodeRecord(std::string_view msg, std::initializer_list<Field> fields) {
  std::string out(1, kMarker);
  AppendNetstring(out, msg);
  for (const auto& field : fields) {
    AppendNetstring(out, static_cast<char>(field.kind) + field.key);
    AppendNetstring(out, field.value);
  }
  return out;
}

Record DecodeRecord(std::string_view payload) {
  Record record;
  std::size_t at = 1;
  std::string_view msg;
  if (payload.empty() || payload[0] != kMarker || !ReadNetstring(payload, at, msg)) {
    return {std::string(payload), {}};
  }
  record.msg = msg;
  while (at < payload.size()) {
    std::string_view key;
    std::string_view value;
    if (!ReadNetstring(payload, at, key) || key.empty() || !ReadNetstring(payload, at, value)) {
      return {std::string(payload), {}};  // not ours after all: show all of it rather than lose any
    }
    Field field(key.substr(1), value);
    if (key[0] == static_cast<char>(Field::Kind::kBare)) field.kind = Field::Kind::kBare;
    record.fields.push_back(std::move(field));
  }
  return record;
}

}  // namespace silicon::log
