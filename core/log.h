#pragma once

#include <concepts>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

// Log lines with their fields as keys of their own (logfmt `collector=cpu`, JSON "collector":"cpu"),
// so that Loki's `| logfmt` and `jq .collector` find them; a field formatted into the message text
// reaches neither. exporter/log_line.cpp writes the line; this floor only hands the fields over.
namespace silicon::log {

/// One key and its value. Keys are short snake_case words; `ts`, `level` and `msg` are the line's own.
struct Field {
  /// How JSON writes the value: numbers and booleans bare, everything else as a string.
  enum class Kind : char { kText = 't', kBare = 'b' };

  Field(std::string_view name, std::string_view text) : key(name), value(text) {}
  Field(std::string_view name, const char* text) : key(name), value(text) {}
  Field(std::string_view name, const std::string& text) : key(name), value(text) {}
  Field(std::string_view name, bool flag) : key(name), value(flag ? "true" : "false"), kind(Kind::kBare) {}
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
  Field(std::string_view name, T number) : key(name), value(std::to_string(number)), kind(Kind::kBare) {}
  Field(std::string_view name, double number);

  std::string key;
  std::string value;
  Kind kind = Kind::kText;
};

/// What one log call carries: the message (a constant sentence, no values in it) and the fields.
struct Record {
  std::string msg;
  std::vector<Field> fields;
};

/// Logs msg and its fields at that level; below the logger's level nothing is encoded.
void Debug(std::string_view msg, std::initializer_list<Field> fields = {});
void Info(std::string_view msg, std::initializer_list<Field> fields = {});
void Warn(std::string_view msg, std::initializer_list<Field> fields = {});
void Error(std::string_view msg, std::initializer_list<Field> fields = {});

/// The text spdlog carries for a record: a marker, then netstrings (`5:hello`) of the message and
/// of each field's kind+key and value, so any byte in a value survives the trip.
std::string EncodeRecord(std::string_view msg, std::initializer_list<Field> fields);

/// The record back from EncodeRecord's text; any other text (a plain spdlog call) is the message.
Record DecodeRecord(std::string_view payload);

}  // namespace silicon::log
