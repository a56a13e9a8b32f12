#include "exporter/config_file.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "exporter/collector_table.h"

namespace silicon {
namespace {

/// Walks the YAML tree with the dotted key path at hand, so every error can name where it is.
class ConfigWalker {
 public:
  explicit ConfigWalker(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void Fail(const YAML::Node& node, const std::string& key, const std::string& what) const {
    std::ostringstream message;
    message << source_;
    if (node.Mark().line >= 0) message << ":" << node.Mark().line + 1 << ":" << node.Mark().column + 1;
    message << ": key '" << key << "': " << what;
    throw ConfigError(message.str());
  }

  /// Calls handlers[key] for each entry of a mapping; any other key is refused.
  void Mapping(const YAML::Node& node, const std::string& path,
               const std::map<std::string, std::function<void(const YAML::Node&, const std::string&)>>&
                   handlers) const {
    if (node.IsNull()) return;  // "web:" with nothing under it means "all defaults"
    if (!node.IsMap()) Fail(node, path, "must be a mapping");
    for (const auto& entry : node) {
      const auto key = entry.first.Scalar();
      const auto full = path.empty() ? key : path + "." + key;
      const auto handler = handlers.find(key);
      if (handler == handlers.end()) {
        std::string known;
        for (const auto& [name, unused] : handlers) known += (known.empty() ? "" : ", ") + name;
        Fail(entry.first, full, "unknown key (expected one of: " + known + ")");
      }
      handler->second(entry.second, full);
    }
  }

  std::string String(const YAML::Node& node, const std::string& key,
                     std::optional<std::string> (*check)(const std::string&)) const {
    if (!node.IsScalar()) Fail(node, key, "must be a string");
    const auto value = node.Scalar();
    if (const auto problem = check(value)) Fail(node, key, "'" + value + "' " + *problem);
    return value;
  }

  long long Integer(const YAML::Node& node, const std::string& key) const {
    long long value = 0;
    if (!node.IsScalar() || !YAML::convert<long long>::decode(node, value)) {
      Fail(node, key, "must be a whole number");
    }
    return value;
  }

  double Number(const YAML::Node& node, const std::string& key, std::optional<std::string> (*check)(double)) const {
    double value = 0;
    if (!node.IsScalar() || !YAML::convert<double>::decode(node, value)) Fail(node, key, "must be a number");
    if (const auto problem = check(value)) Fail(node, key, *problem);
    return value;
  }

  bool Boolean(const YAML::Node& node, const std::string& key) const {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) Fail(node, key, "must be true or false");
    return value;
  }

 private:
  std::string source_;
};

using Handlers = std::map<std::string, std::function<void(const YAML::Node&, const std::string&)>>;

// Options a collector takes besides "enabled".
Handlers CollectorOptions(const std::string& name, const ConfigWalker& walk, Settings& settings) {
  const auto number = [&](double& field, std::optional<std::string> (*check)(double)) {
    return [&, check](const YAML::Node& n, const std::string& k) { field = walk.Number(n, k, check); };
  };
  const auto optional_number = [&](std::optional<double>& field, std::optional<std::string> (*check)(double)) {
    return [&, check](const YAML::Node& n, const std::string& k) { field = walk.Number(n, k, check); };
  };
  if (name == "memory") {
    return {{"pressure_warning_some_percent", number(settings.memory_pressure.warning_some_percent, &CheckPercent)},
            {"pressure_critical_full_percent", number(settings.memory_pressure.critical_full_percent, &CheckPercent)}};
  }
  if (name == "thermal") {
    return {{"fair_margin_celsius", number(settings.thermal.fair_margin_celsius, &CheckMargin)},
            {"fair_celsius", optional_number(settings.thermal.fair_celsius, &CheckCelsius)},
            {"serious_celsius", optional_number(settings.thermal.serious_celsius, &CheckCelsius)},
            {"critical_celsius", optional_number(settings.thermal.critical_celsius, &CheckCelsius)}};
  }
  if (name == "docker") {
    return {{"stats_source", [&](const YAML::Node& n, const std::string& k) {
               settings.docker.stats_source = walk.String(n, k, &CheckStatsSource);
             }},
            {"host", [&](const YAML::Node& n, const std::string& k) {
               settings.docker.host = walk.String(n, k, &CheckDockerHost);
             }},
            {"timeout_seconds", number(settings.docker.timeout_seconds, &CheckTimeout)}};
  }
  return {};
}

void LoadRoot(const YAML::Node& root, const ConfigWalker& walk, Settings& settings) {
  const auto web = [&](const YAML::Node& node, const std::string& path) {
    walk.Mapping(node, path,
                 {{"listen_address",
                   [&](const YAML::Node& n, const std::string& k) {
                     settings.listen_address = walk.String(n, k, &CheckListenAddress);
                   }},
                  {"max_requests", [&](const YAML::Node& n, const std::string& k) {
                     const auto value = walk.Integer(n, k);
                     if (const auto problem = CheckMaxRequests(value)) walk.Fail(n, k, *problem);
                     settings.max_requests = static_cast<int>(value);
                   }}});
  };
  const auto log = [&](const YAML::Node& node, const std::string& path) {
    walk.Mapping(node, path,
                 {{"level", [&](const YAML::Node& n, const std::string& k) {
                     settings.log_level = walk.String(n, k, &CheckLogLevel);
                   }},
                  {"format", [&](const YAML::Node& n, const std::string& k) {
                     settings.log_format = walk.String(n, k, &CheckLogFormat);
                   }}});
  };
  const auto paths = [&](const YAML::Node& node, const std::string& path) {
    const auto path_key = [&](std::filesystem::path& field) {
      return [&](const YAML::Node& n, const std::string& k) { field = walk.String(n, k, &CheckPath); };
    };
    walk.Mapping(node, path,
                 {{"procfs", path_key(settings.paths.procfs)},
                  {"sysfs", path_key(settings.paths.sysfs)},
                  {"rootfs", path_key(settings.paths.rootfs)}});
  };
  const auto collectors = [&](const YAML::Node& node, const std::string& path) {
    Handlers by_name;
    for (const auto& entry : BuiltinCollectors()) {
      const std::string name(entry.name);
      by_name[name] = [&, name](const YAML::Node& n, const std::string& k) {
        auto handlers = CollectorOptions(name, walk, settings);
        handlers["enabled"] = [&, name](const YAML::Node& v, const std::string& key) {
          settings.collectors[name] = walk.Boolean(v, key);
        };
        walk.Mapping(n, k, handlers);
        if (name == "thermal") {
          if (const auto problem = CheckThermalOrder(settings.thermal)) walk.Fail(n, k, *problem);
        }
      };
    }
    walk.Mapping(node, path, by_name);
  };
  const auto scrape = [&](const YAML::Node& node, const std::string& path) {
    walk.Mapping(node, path, {{"collector_timeout_seconds", [&](const YAML::Node& n, const std::string& k) {
                                 settings.collector_timeout_seconds = walk.Number(n, k, &CheckTimeout);
                               }}});
  };
  walk.Mapping(root, "", {{"web", web}, {"scrape", scrape}, {"log", log}, {"paths", paths}, {"collectors", collectors}});
}

}  // namespace

void LoadConfigText(const std::string& text, const std::string& source_name, Settings& settings) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    // yaml-cpp's marks are 0-based; people count lines from 1.
    throw ConfigError(source_name + ":" + std::to_string(error.mark.line + 1) + ":" +
                      std::to_string(error.mark.column + 1) + ": not valid YAML: " + error.msg);
  }
  if (!root.IsNull() && !root.IsMap()) throw ConfigError(source_name + ": the top level must be a mapping");
  // Work on a copy so a file refused halfway leaves the caller's settings untouched.
  Settings updated = settings;
  LoadRoot(root, ConfigWalker(source_name), updated);
  settings = std::move(updated);
}

void LoadConfigFile(const std::string& path, Settings& settings) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot open config file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError(path + ": cannot read config file");
  LoadConfigText(text.str(), path, settings);
}

}  // namespace silicon
