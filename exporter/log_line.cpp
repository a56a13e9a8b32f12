#include "exporter/log_line.h"

#include <cstdio>

namespace silicon {
namespace {

// The length of the well-formed UTF-8 sequence text starts with (RFC 3629 section 4: no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0 when it starts with none.
std::size_t Utf8SequenceLength(std::string_view text) {
  const auto at = [&text](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; };
  const unsigned lead = at(0);
  const auto continuation = [&at](std::size_t i, unsigned low = 0x80, unsigned high = 0xbf) {
    return at(i) >= low && at(i) <= high;
  };
  if (lead >= 0xc2 && lead <= 0xdf) return continuation(1) ? 2 : 0;
  if (lead == 0xe0) return continuation(1, 0xa0) && continuation(2) ? 3 : 0;
  if (lead == 0xed) return continuation(1, 0x80, 0x9f) && continuation(2) ? 3 : 0;
  if (lead >= 0xe1 && lead <= 0xef) return continuation(1) && continuation(2) ? 3 : 0;
  if (lead == 0xf0) return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0;
  if (lead >= 0xf1 && lead <= 0xf3) return continuation(1) && continuation(2) && continuation(3) ? 4 : 0;
  if (lead == 0xf4) return continuation(1, 0x80, 0x8f) && continuation(2) && continuation(3) ? 4 : 0;
  return 0;
}

// Whether logfmt must quote the value: empty, or holding a space, '=', a quote, a backslash, a
// control or any byte >= 0x80. Readers split pairs on spaces and '='; quoting every non-ASCII value
// is stricter than go-logfmt (which quotes only invalid UTF-8) and reads back the same.
bool NeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || byte == '=' || byte == '"' || byte == '\\' || byte >= 0x7f) return true;
  }
  return false;
}

void AppendLogfmt(std::string& line, std::string_view key, std::string_view value, bool always_quote = false) {
  line += ' ';
  line += key;
  line += '=';
  if (always_quote || NeedsQuotes(value)) {
    line += '"';
    line += EscapeLogText(value);
    line += '"';
  } else {
    line += value;
  }
}

void AppendJson(std::string& line, std::string_view key, std::string_view value, bool bare = false) {
  line += ",\"";
  line += EscapeLogText(key);
  line += "\":";
  if (bare) {
    line += value;
  } else {
    line += '"';
    line += EscapeLogText(value);
    line += '"';
  }
}

}  // namespace

std::string FormatLogLine(LogFormat format, std::string_view ts, std::string_view level, const log::Record& record) {
  std::string line;
  if (format == LogFormat::kJson) {
    line = "{\"ts\":\"";
    line += ts;
    line += '"';
    AppendJson(line, "level", level);
    AppendJson(line, "msg", record.msg);
    for (const auto& field : record.fields) {
      AppendJson(line, field.key, field.value, field.kind == log::Field::Kind::kBare);
    }
    line += "}\n";
  } else {
    line = "ts=";
    line += ts;
    AppendLogfmt(line, "level", level);
    AppendLogfmt(line, "msg", record.msg, true);  // always quoted, as before: `msg="..."` greps keep working
    for (const auto& field : record.fields) {
      // A key is ours (a constant word), but one with a space or '=' would split the line.
      std::string key = field.key;
      for (auto& c : key) {
        if (static_cast<unsigned char>(c) <= ' ' || c == '=' || c == '"') c = '_';
      }
      AppendLogfmt(line, key, field.value);
    }
    line += '\n';
  }
  return line;
}

std::string EscapeLogText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto hex = [&out](const char* format, unsigned value) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, format, value);
    out += buffer;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '"' || byte == '\\') {
      out += '\\';
      out += text[i];
    } else if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      hex("\\u%04x", byte);
    } else if (byte < 0x80) {
      out += text[i];
    } else if (const auto length = Utf8SequenceLength(text.substr(i)); length == 0) {
      // Not UTF-8 (a client's user name or target): JSON cannot carry the raw byte, and passing
      // it on made the line invalid JSON. Written as the four characters \xNN instead.
      hex("\\\\x%02x", byte);
    } else if (byte == 0xc2 && static_cast<unsigned char>(text[i + 1]) < 0xa0) {
      hex("\\u%04x", static_cast<unsigned char>(text[i + 1]));  // a C1 control, escaped as C0 ones are
      ++i;
    } else {
      out.append(text.substr(i, length));  // valid UTF-8 is valid JSON as it is
      i += length - 1;
    }
  }
  return out;
}

}  // namespace silicon
