#pragma once

#include <optional>
#include <string>

#include "core/collector_config.h"

namespace silicon {

/// Options of the docker collector (collectors.docker in the config file).
struct DockerOptions {
  /// "cgroup": read stats from the host's cgroup files; "api": the Engine API's stats streams;
  /// "auto": cgroup files for every container whose cgroup this host can see, streams for the rest.
  std::string stats_source = "auto";
  std::optional<std::string> host;  // like DOCKER_HOST; overrides it
  double timeout_seconds = 2;       // bound on every API request made during a scrape
};

/// The docker collector's config: collectors.docker.{stats_source, host, timeout_seconds}.
class DockerConfig final : public CopyableCollectorConfig<DockerConfig> {
 public:
  DockerOptions options;

  void AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) override;
  std::unique_ptr<Collector> Create(const HostPaths& paths) const override;
};

/// auto, cgroup or api.
std::optional<std::string> CheckStatsSource(const std::string& value);

/// unix:///path or tcp://host:port, as DOCKER_HOST takes.
std::optional<std::string> CheckDockerHost(const std::string& value);

}  // namespace silicon
