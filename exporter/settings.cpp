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

}  // namespace silicon
