#include "exporter/command_line.h"


#include "exporter/collector_table.h"
#include "core/text_file.h"

namespace silicon {
namespace {

using Check = std::optional<std::string> (*)(const std::string&);

struct ValueFlag {
  const char* name;
  std::optional<std::string> CommandLine::*field;
  Check check;
  const char* help;
};

struct IntegerFlag {
  const char* name;
  std::optional<int> CommandLine::*field;
  std::optional<std::string> (*check)(long long);
};

const IntegerFlag kIntegerFlags[] = {
    {"--web.max-requests", &CommandLine::max_requests, &CheckMaxRequests},
    {"--web.max-connections", &CommandLine::max_connections, &CheckMaxConnections},
};

const ValueFlag kValueFlags[] = {
    {"--config.file", &CommandLine::config_file, &CheckPath, "YAML configuration file."},
    {"--web.listen-address", &CommandLine::listen_address, &CheckListenAddress,
     "Address to listen on (default 127.0.0.1:10025; :10025 for every interface)."},
    {"--web.config.file", &CommandLine::web_config_file, &CheckPath,
     "Web config (exporter-toolkit format): TLS, mTLS and basic auth (bcrypt hashes)."},
    {"--web.ui.history", &CommandLine::history_window, &CheckHistoryWindow,
     "How far back the live page's charts reach: 1h, 30m... (default 1h); 0 stops the sampler."},
    {"--web.ui.history-interval", &CommandLine::history_interval, &CheckHistoryInterval,
     "How often the live page's history takes a sample (default 5s)."},
    {"--log.level", &CommandLine::log_level, &CheckLogLevel, "debug, info, warn or error (default info)."},
    {"--log.format", &CommandLine::log_format, &CheckLogFormat, "logfmt or json (default logfmt)."},
    {"--path.procfs", &CommandLine::procfs, &CheckPath, "procfs mount point (default /proc)."},
    {"--path.sysfs", &CommandLine::sysfs, &CheckPath, "sysfs mount point (default /sys)."},
    {"--path.rootfs", &CommandLine::rootfs, &CheckPath, "root file system mount point (default /)."},
};

const IntegerFlag* FindIntegerFlag(const std::string& name) {
  for (const auto& flag : kIntegerFlags) {
    if (name == flag.name) return &flag;
  }
  return nullptr;
}

}  // namespace

CommandLine ParseCommandLine(const std::vector<std::string>& args) {
  CommandLine result;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const auto equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const bool has_inline_value = equals != std::string::npos;
    // Value flags take "--name=value" or "--name value".
    auto value = [&]() -> std::string {
      if (has_inline_value) return arg.substr(equals + 1);
      if (i + 1 >= args.size()) throw UsageError("flag " + name + " needs a value");
      return args[++i];
    };
    auto no_value = [&] {
      if (has_inline_value) throw UsageError("flag " + name + " takes no value");
    };

    if (name == "--help" || name == "-h") {
      no_value();
      result.help = true;
    } else if (name == "--version") {
      no_value();
      result.version = true;
    } else if (name == "--once") {
      no_value();
      result.once = true;
    } else if (name == "--config.check") {
      no_value();
      result.config_check = true;
    } else if (name == "--web.disable-ui") {
      no_value();
      result.disable_ui = true;
    } else if (const auto* integer = FindIntegerFlag(name)) {
      const auto text = value();
      const auto number = ParseInteger(text);
      const auto problem = number ? integer->check(*number) : "must be a whole number";
      if (problem) throw UsageError("flag " + name + "='" + text + "': " + *problem);
      result.*integer->field = static_cast<int>(*number);
    } else if (name.starts_with("--collector.") || name.starts_with("--no-collector.")) {
      no_value();
      const bool enable = name.starts_with("--collector.");
      const auto collector = name.substr(name.find('.') + 1);
      if (const auto problem = CheckCollectorName(collector)) throw UsageError("flag " + name + ": " + *problem);
      result.collectors[collector] = enable;
    } else {
      bool known = false;
      for (const auto& flag : kValueFlags) {
        if (name != flag.name) continue;
        known = true;
        const auto text = value();
        if (const auto problem = flag.check(text)) {
          throw UsageError("flag " + name + "='" + text + "': " + *problem);
        }
        result.*flag.field = text;
      }
      if (!known) throw UsageError("unknown flag '" + arg + "' (see --help)");
    }
  }
  return result;
}

void ApplyCommandLine(const CommandLine& command_line, Settings& settings) {
  if (command_line.listen_address) settings.listen_address = *command_line.listen_address;
  if (command_line.max_requests) settings.max_requests = *command_line.max_requests;
  if (command_line.max_connections) settings.max_connections = *command_line.max_connections;
  if (command_line.web_config_file) settings.web_config_file = *command_line.web_config_file;
  if (command_line.disable_ui) settings.disable_ui = true;
  if (command_line.history_window) settings.history_window_seconds = *ParseDurationSeconds(*command_line.history_window);
  if (command_line.history_interval) {
    settings.history_interval_seconds = *ParseDurationSeconds(*command_line.history_interval);
  }
  if (command_line.log_level) settings.log_level = *command_line.log_level;
  if (command_line.log_format) settings.log_format = *command_line.log_format;
  if (command_line.procfs) settings.paths.procfs = *command_line.procfs;
  if (command_line.sysfs) settings.paths.sysfs = *command_line.sysfs;
  if (command_line.rootfs) settings.paths.rootfs = *command_line.rootfs;
  for (const auto& [name, enabled] : command_line.collectors) settings.collectors[name] = enabled;
}

std::string UsageText() {
  std::string text =
      "usage: silicon_exporter [flags]\n\n"
      "Prometheus exporter for Apple Silicon workstations and the Linux boxes beside them.\n\n"
      "Flags (they override the config file):\n"
      "  -h, --help                 Show this help and exit.\n"
      "  --version                  Print version and exit.\n"
      "  --once                     Collect once, print the exposition to stdout and exit.\n"
      "  --config.check             Validate the configuration and exit.\n"
      "  --web.max-requests=N       Requests rendered at once: min(N, 8), 0 for\n"
      "                             no limit (8); more wait their turn in arrival order (default 40).\n"
      "  --web.max-connections=N    Connections held at once (default 512); idle ones make room.\n"
      "  --web.disable-ui           Serve the text landing page at / instead of the live page.\n";
  for (const auto& flag : kValueFlags) {
    std::string left = std::string("  ") + flag.name + "=VALUE";
    if (left.size() >= 29) left += "\n";  // too long for the column: its help on the next line
    left.resize(left.size() >= 29 ? left.size() + 29 : 29, ' ');
    text += left + flag.help + "\n";
  }
  text += "\nCollectors (--collector.NAME / --no-collector.NAME):\n";
  for (const auto& entry : BuiltinCollectors()) {
    std::string left = "  " + std::string(entry.name);
    left.resize(29, ' ');
    text += left + std::string(entry.description) +
            (entry.enabled_by_default ? " [default on]\n" : " [default off]\n");
  }
  return text;
}

}  // namespace silicon
