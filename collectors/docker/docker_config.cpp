#include "collectors/docker/docker_config.h"

#include "collectors/docker/docker_collector.h"

namespace silicon {

void DockerConfig::AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) {
  handlers["stats_source"] = walk.StringInto(options.stats_source, &CheckStatsSource);
  handlers["host"] = walk.StringInto(options.host, &CheckDockerHost);
  handlers["timeout_seconds"] = walk.NumberInto(options.timeout_seconds, &CheckTimeout);
}

std::unique_ptr<Collector> DockerConfig::Create(const HostPaths& paths) const {
  return std::make_unique<DockerCollector>(paths, options);
}

std::optional<std::string> CheckStatsSource(const std::string& value) {
  if (value == "auto" || value == "cgroup" || value == "api") return std::nullopt;
  return "must be auto, cgroup or api";
}

std::optional<std::string> CheckDockerHost(const std::string& value) {
  if (value.starts_with("unix:///") || value.starts_with("tcp://")) return std::nullopt;
  return "must be unix:///path or tcp://host:port";
}

}  // namespace silicon
