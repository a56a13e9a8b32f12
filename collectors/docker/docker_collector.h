#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "collectors/docker/cgroup_stats.h"
#include "collectors/docker/docker_client.h"
#include "collectors/docker/docker_config.h"
#include "collectors/docker/docker_sample.h"
#include "collectors/docker/stats_streams.h"
#include "core/collector.h"
#include "core/host_paths.h"

namespace silicon {

/// Maps a Docker sample to the silicon_docker_* and silicon_container_* families (pure).
Families DockerFamilies(const DockerSample& sample);

/// Containers of the local (or DOCKER_HOST) engine: list from the API, stats from cgroups or streams.
class DockerCollector : public Collector {
 public:
  DockerCollector(HostPaths paths, DockerOptions options);
  ~DockerCollector() override;
  Families Collect() override;

 private:
  std::optional<double> StartTime(const ContainerInfo& info, bool restarted);

  HostPaths paths_;
  DockerOptions options_;
  std::optional<DockerEndpoint> endpoint_;
  std::unique_ptr<DockerClient> client_;
  std::unique_ptr<StatsStreams> streams_;
  std::map<std::string, double> start_times_;  // by id; from inspect, refreshed on restart
  std::map<std::string, CgroupStatsReader> cgroups_;  // by id; found once per container
  std::map<std::string, std::string> last_states_;
  bool was_up_ = true;  // to log a lost daemon once, not every scrape
};

}  // namespace silicon
