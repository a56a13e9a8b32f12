#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "exporter/settings.h"

namespace silicon {

/// A flag that does not exist, lacks its value or has a bad one; main exits 2 with its message.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What the command line asked for; settings fields stay unset unless a flag gave them.
struct CommandLine {
  bool help = false;
  bool version = false;
  bool once = false;
  bool config_check = false;
  bool disable_ui = false;
  std::optional<std::string> config_file;

  std::optional<std::string> listen_address;
  std::optional<std::string> web_config_file;
  std::optional<int> max_requests;
  std::optional<int> max_connections;
  std::optional<std::string> log_level;
  std::optional<std::string> log_format;
  std::optional<std::string> procfs;
  std::optional<std::string> sysfs;
  std::optional<std::string> rootfs;
  std::optional<std::string> history_window;
  std::optional<std::string> history_interval;
  std::map<std::string, bool> collectors;
};

/// Parses node_exporter-style flags (--name=value or --name value); throws UsageError.
CommandLine ParseCommandLine(const std::vector<std::string>& args);

/// Lays the flags that were given over settings that already hold defaults and the config file.
void ApplyCommandLine(const CommandLine& command_line, Settings& settings);

/// The --help text.
std::string UsageText();

}  // namespace silicon
