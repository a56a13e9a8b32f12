#include "exporter/settings.h"

#include "exporter/collector_table.h"
#include "collectors/common/text_file.h"

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
  if (value < 1 || value > 1000) return "must be between 1 and 1000";
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

std::optional<std::string> CheckPercent(double value) {
  if (!(value > 0 && value <= 100)) return "must be a percentage above 0 and at most 100";
  return std::nullopt;
}

std::optional<std::string> CheckCelsius(double value) {
  if (!(value > 0 && value <= 200)) return "must be a temperature above 0 and at most 200 (degrees Celsius)";
  return std::nullopt;
}

std::optional<std::string> CheckMargin(double value) {
  if (!(value >= 0 && value <= 100)) return "must be between 0 and 100 (degrees Celsius)";
  return std::nullopt;
}

std::optional<std::string> CheckStatsSource(const std::string& value) {
  if (value == "auto" || value == "cgroup" || value == "api") return std::nullopt;
  return "must be auto, cgroup or api";
}

std::optional<std::string> CheckDockerHost(const std::string& value) {
  if (value.starts_with("unix:///") || value.starts_with("tcp://")) return std::nullopt;
  return "must be unix:///path or tcp://host:port";
}

std::optional<std::string> CheckTimeout(double value) {
  if (!(value > 0 && value <= 60)) return "must be above 0 and at most 60 (seconds)";
  return std::nullopt;
}

std::optional<std::string> CheckThermalOrder(const ThermalOptions& options) {
  const std::optional<double> levels[] = {options.fair_celsius, options.serious_celsius, options.critical_celsius};
  std::optional<double> previous;
  for (const auto& level : levels) {
    if (!level) continue;
    if (previous && *level <= *previous) return "fair_celsius < serious_celsius < critical_celsius must hold";
    previous = level;
  }
  return std::nullopt;
}

}  // namespace silicon
