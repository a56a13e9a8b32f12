#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/net_dev.h"

namespace silicon {

/// One container's resource use, from its cgroup files or from the Engine API's stats stream.
struct ContainerStats {
  std::optional<double> cpu_seconds;
  std::optional<double> memory_usage_bytes;
  std::optional<double> memory_working_set_bytes;  // usage - inactive file, as docker stats and cAdvisor
  std::optional<double> memory_limit_bytes;        // absent when unlimited
  std::optional<double> pids;
  std::optional<double> oom_kills;
  std::optional<double> blkio_read_bytes;
  std::optional<double> blkio_write_bytes;
  std::vector<NetDevCounters> network;
};

/// One container from the Engine API's list.
struct ContainerInfo {
  std::string id;  // full id
  std::string name;
  std::string image;
  std::string state;   // created, running, paused, restarting, removing, exited, dead
  std::string health;  // starting, healthy, unhealthy; empty without a healthcheck
  std::string compose_project;
  std::string compose_service;
};

/// A container with what the collector found about it.
struct ContainerSample {
  ContainerInfo info;
  std::optional<double> start_time_seconds;
  std::optional<ContainerStats> stats;
  std::optional<double> stats_age_seconds;  // API-stream mode: how old the served sample is
};

/// Everything the Docker collector exposes.
struct DockerSample {
  bool up = false;
  std::vector<ContainerSample> containers;
};

}  // namespace silicon
