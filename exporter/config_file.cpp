#include "exporter/config_file.h"

#include <yaml-cpp/yaml.h>


#include "exporter/collector_table.h"
#include "exporter/config_source.h"

namespace silicon {
namespace {

void LoadRoot(const YAML::Node& root, const ConfigWalker& walk, Settings& settings) {
  const auto web = [&](const YAML::Node& node, const std::string& path) {
    walk.Mapping(node, path,
                 {{"listen_address", walk.StringInto(settings.listen_address, &CheckListenAddress)},
                  {"disable_ui",
                   [&](const YAML::Node& n, const std::string& k) { settings.disable_ui = walk.Boolean(n, k); }},
                  {"ui_history",
                   [&](const YAML::Node& n, const std::string& k) {
                     settings.history_window_seconds = *ParseDurationSeconds(walk.String(n, k, &CheckHistoryWindow));
                   }},
                  {"ui_history_interval",
                   [&](const YAML::Node& n, const std::string& k) {
                     settings.history_interval_seconds =
                         *ParseDurationSeconds(walk.String(n, k, &CheckHistoryInterval));
                   }},
                  {"max_requests", walk.IntegerInto(settings.max_requests, &CheckMaxRequests)},
                  {"max_connections", walk.IntegerInto(settings.max_connections, &CheckMaxConnections)}});
  };
  const auto log = [&](const YAML::Node& node, const std::string& path) {
    walk.Mapping(node, path,
                 {{"level", walk.StringInto(settings.log_level, &CheckLogLevel)},
                  {"format", walk.StringInto(settings.log_format, &CheckLogFormat)}});
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
  // collectors.NAME: "enabled" is ours; every other key belongs to the collector's own config.
  const auto collectors = [&](const YAML::Node& node, const std::string& path) {
    ConfigHandlers by_name;
    for (const auto& entry : BuiltinCollectors()) {
      const std::string name(entry.name);
      by_name[name] = [&, name](const YAML::Node& n, const std::string& k) {
        const auto running = settings.collector_configs.find(name);
        std::shared_ptr<CollectorConfig> config = running != settings.collector_configs.end()
                                                      ? running->second->Clone()
                                                      : entry.default_config();
        ConfigHandlers handlers;
        config->AddOptionHandlers(walk, handlers);
        handlers["enabled"] = [&, name](const YAML::Node& v, const std::string& key) {
          settings.collectors[name] = walk.Boolean(v, key);
        };
        walk.Mapping(n, k, handlers);
        if (const auto problem = config->CheckOptions()) walk.Fail(n, k, *problem);
        settings.collector_configs[name] = std::move(config);
      };
    }
    walk.Mapping(node, path, by_name);
  };
  const auto scrape = [&](const YAML::Node& node, const std::string& path) {
    walk.Mapping(node, path,
                 {{"collector_timeout_seconds", walk.NumberInto(settings.collector_timeout_seconds, &CheckTimeout)}});
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
  const auto source = ReadConfigSource(path, "config file");
  if (!source.text) throw ConfigError(path + ": " + source.error);
  LoadConfigText(*source.text, path, settings);
}

}  // namespace silicon
