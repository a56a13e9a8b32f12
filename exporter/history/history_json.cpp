#include "exporter/history/history_json.h"

#include <cmath>
#include <cstdio>

namespace silicon {
namespace {

// Seven significant digits: all a float holds, and a few bytes less per value than %.9g.
void AppendNumber(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buffer[32];
  const int length = std::snprintf(buffer, sizeof buffer, "%.7g", value);
  out.append(buffer, static_cast<std::size_t>(length));
}

void AppendInteger(std::string& out, std::int64_t value) { out += std::to_string(value); }

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;  // UTF-8 passes as it is; label values are whatever the collectors read
    }
  }
  out += '"';
}

std::string HistoryJson(const HistoryWindow& window, const HistoryStatus& status) {
  std::string out;
  out.reserve(256 + window.timestamps_ms.size() * (15 + 6 * window.series.size()));
  out += "{\"interval_seconds\":";
  AppendNumber(out, status.interval_seconds);
  out += ",\"window_seconds\":";
  AppendNumber(out, status.window_seconds);
  out += ",\"started_ms\":";
  AppendInteger(out, status.started_ms);
  out += ",\"now_ms\":";
  AppendInteger(out, status.now_ms);
  out += ",\"samples\":";
  AppendInteger(out, static_cast<std::int64_t>(status.samples));
  out += ",\"refused_series\":";
  AppendInteger(out, static_cast<std::int64_t>(status.refused_series));
  out += ",\"state_bytes\":";
  AppendInteger(out, static_cast<std::int64_t>(status.state_bytes));
  out += ",\"sampler_cpu_seconds\":";
  AppendNumber(out, status.sampler_cpu_seconds);
  out += ",\"timestamps\":[";
  for (std::size_t i = 0; i < window.timestamps_ms.size(); ++i) {
    if (i) out += ',';
    AppendInteger(out, window.timestamps_ms[i]);
  }
  out += "],\"series\":[";
  for (std::size_t s = 0; s < window.series.size(); ++s) {
    const auto& [id, values] = window.series[s];
    out += s ? ",{\"name\":" : "{\"name\":";
    AppendJsonString(out, id.name);
    out += ",\"labels\":{";
    for (std::size_t l = 0; l < id.labels.size(); ++l) {
      if (l) out += ',';
      AppendJsonString(out, id.labels[l].first);
      out += ':';
      AppendJsonString(out, id.labels[l].second);
    }
    out += "},\"values\":[";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out += ',';
      AppendNumber(out, values[i]);
    }
    out += "]}";
  }
  out += "]}\n";
  return out;
}

}  // namespace silicon
