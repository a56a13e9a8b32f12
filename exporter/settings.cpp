#include "exporter/settings.h"

#include "exporter/collector_table.h"
#include "core/text_file.h"

namespace silicon {

std::optional<std::string> CheckListenAddress(const std::string& value) {
  const auto colon = value.rfind(':');
  if (colon == std::string::npos) return "must be host:port or :port, e.g. 127.0.0.1:10025";
  const auto host = value.substr(0, colon);
  if (host.find_first_of(" /") != std::string::npos) return "host part '" + host + "' is not a host";
  if (host.size() > 1 && host.front() == '[' && host.back() != ']') return "unclosed IPv6 bracket";
  const auto port = ParseInteger(value.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) return "port must be a number from 0 to 65535";
  return std::nullopt;
}

std::optional<std::string> CheckMaxRequests(long long value) {
  // 0 is node_exporter's "no limit": here the most workers there are (see WorkerCount).
  if (value < 0 || value > 1000) return "must be between 0 (no limit) and 1000";
  return std::nullopt;
}

std::optional<std::string> CheckMaxConnections(long long value) {
  // Below 16 a handful of idle clients would keep evicting each other and the scraper; above
  // 65536 the descriptors are more than a laptop's exporter should ever hold.
  if (value < 16 || value > 65536) return "must be between 16 and 65536";
  return std::nullopt;
}

std::optional<std::string> CheckLogLevel(const std::string& value) {
  if (value == "debug" || value == "info" || value == "warn" || value == "error") return std::nullopt;
  return "must be one of debug, info, warn, error";
}

std::optional<std::string> CheckLogFormat(const std::string& value) {
  if (value == "logfmt" || value == "json") return std::nullopt;
  return "must be logfmt or json";
}

std::optional<std::string> CheckPath(const std::string& value) {
  if (value.empty()) return "must not be empty";
  return std::nullopt;
}

std::optional<std::string> CheckCollectorName(const std::string& value) {
  if (FindCollector(value)) return std::nullopt;
  std::string known;
  for (const auto& entry : BuiltinCollectors()) {
    known += known.empty() ? "" : ", ";
    known += entry.name;
  }
  return "unknown collector '" + value + "' (known: " + known + ")";
}

std::optional<double> ParseDurationSeconds(const std::string& value) {
  if (value == "0") return 0.0;
  double seconds = 0;
  std::size_t i = 0;
  if (value.empty()) return std::nullopt;
  while (i < value.size()) {
    const std::size_t digits = value.find_first_not_of("0123456789", i);
    if (digits == i || digits == std::string::npos || digits - i > 9) return std::nullopt;
    const double number = std::stod(value.substr(i, digits - i));
    std::size_t unit_end = value.find_first_of("0123456789", digits);
    if (unit_end == std::string::npos) unit_end = value.size();
    const std::string unit = value.substr(digits, unit_end - digits);
    if (unit == "ms") seconds += number / 1000;
    else if (unit == "s") seconds += number;
    else if (unit == "m") seconds += number * 60;
    else if (unit == "h") seconds += number * 3600;
    else if (unit == "d") seconds += number * 86400;
    else return std::nullopt;
    i = unit_end;
  }
  return seconds;
}

std::optional<std::string> CheckHistoryWindow(const std::string& value) {
  const auto seconds = ParseDurationSeconds(value);
  if (!seconds) return "must be a duration such as 1h, 30m or 0 (off)";
  if (*seconds > 86400) return "must be at most 24h";
  return std::nullopt;
}

std::optional<std::string> CheckHistoryInterval(const std::string& value) {
  const auto seconds = ParseDurationSeconds(value);
  if (!seconds) return "must be a duration such as 5s or 500ms";
  // Below 100 ms the sampler would be a busier client than any scraper.
  if (*seconds < 0.1 || *seconds > 600) return "must be between 100ms and 10m";
  return std::nullopt;
}

std::optional<std::string> CheckHistorySamples(double window_seconds, double interval_seconds) {
  if (window_seconds <= 0 || window_seconds / interval_seconds <= kMaxHistorySamples) return std::nullopt;
  return "web.ui.history / web.ui.history-interval is more than 17280 samples (24h at 5s): "
         "sample less often or keep less";
}

}  // namespace silicon
