#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/collector_config.h"
#include "core/host_paths.h"

namespace silicon {

/// Everything the exporter runs with: defaults, then the config file, then flags on top.
struct Settings {
  std::string listen_address = "127.0.0.1:10025";  // loopback: this runs on laptops
  int max_requests = 40;                            // node_exporter's --web.max-requests default
  int max_connections = 512;                        // connections held at once (WebOptions)
  std::string web_config_file;                      // exporter-toolkit web config; empty: none
  bool disable_ui = false;                          // true: / is the text landing page only
  double history_window_seconds = 3600;             // the live page's charts reach back this far; 0: no sampler
  double history_interval_seconds = 5;              // one history sample per interval
  double collector_timeout_seconds = 5;             // a collector running longer fails the scrape's sample
  std::string log_level = "info";
  std::string log_format = "logfmt";
  HostPaths paths;
  /// Explicit on/off per collector name; a collector not listed keeps its default from the table.
  std::map<std::string, bool> collectors;
  /// Each collector's options as the config file set them, by name; a collector not listed runs
  /// with the defaults of its table row. Shared and never changed: a new load makes new ones.
  std::map<std::string, std::shared_ptr<const CollectorConfig>> collector_configs;
};

/// Each check returns what is wrong with a value, or nullopt when it is fine; config file and flags
/// share them so both refuse the same things with the same words.
std::optional<std::string> CheckListenAddress(const std::string& value);
std::optional<std::string> CheckMaxRequests(long long value);
std::optional<std::string> CheckMaxConnections(long long value);
std::optional<std::string> CheckLogLevel(const std::string& value);
std::optional<std::string> CheckLogFormat(const std::string& value);
std::optional<std::string> CheckPath(const std::string& value);
std::optional<std::string> CheckCollectorName(const std::string& value);
std::optional<std::string> CheckHistoryWindow(const std::string& value);
std::optional<std::string> CheckHistoryInterval(const std::string& value);

/// A Prometheus-style duration ("90s", "15m", "1h30m", "500ms", "0") in seconds; nullopt if malformed.
std::optional<double> ParseDurationSeconds(const std::string& value);

/// Samples one history window holds at most: 24 hours at 5 s. Past that the rings' memory (4 bytes
/// per sample per series) stops being small.
inline constexpr double kMaxHistorySamples = 17280;

/// What is wrong with a window and interval together (too many samples), or nullopt.
std::optional<std::string> CheckHistorySamples(double window_seconds, double interval_seconds);

}  // namespace silicon
