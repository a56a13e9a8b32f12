#pragma once

#include <map>
#include <optional>
#include <string>

#include "collectors/docker/docker_collector.h"
#include "collectors/memory/memory_sample.h"
#include "collectors/thermal/thermal_sample.h"
#include "exporter/host_paths.h"

namespace silicon {

/// Everything the exporter runs with: defaults, then the config file, then flags on top.
struct Settings {
  std::string listen_address = "127.0.0.1:10025";  // loopback: this runs on laptops
  int max_requests = 40;                            // node_exporter's --web.max-requests default
  std::string web_config_file;                      // exporter-toolkit web config; empty: none
  double collector_timeout_seconds = 5;             // a collector running longer fails the scrape's sample
  std::string log_level = "info";
  std::string log_format = "logfmt";
  HostPaths paths;
  /// Explicit on/off per collector name; a collector not listed keeps its default from the table.
  std::map<std::string, bool> collectors;
  MemoryPressureOptions memory_pressure;
  ThermalOptions thermal;
  DockerOptions docker;
};

/// Each check returns what is wrong with a value, or nullopt when it is fine; config file and flags
/// share them so both refuse the same things with the same words.
std::optional<std::string> CheckListenAddress(const std::string& value);
std::optional<std::string> CheckMaxRequests(long long value);
std::optional<std::string> CheckLogLevel(const std::string& value);
std::optional<std::string> CheckLogFormat(const std::string& value);
std::optional<std::string> CheckPath(const std::string& value);
std::optional<std::string> CheckCollectorName(const std::string& value);
std::optional<std::string> CheckPercent(double value);
std::optional<std::string> CheckStatsSource(const std::string& value);
std::optional<std::string> CheckDockerHost(const std::string& value);
std::optional<std::string> CheckTimeout(double value);
std::optional<std::string> CheckCelsius(double value);
std::optional<std::string> CheckMargin(double value);
/// The thermal thresholds that are set must rise from fair to serious to critical.
std::optional<std::string> CheckThermalOrder(const ThermalOptions& options);

}  // namespace silicon
