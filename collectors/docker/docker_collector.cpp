#include "collectors/docker/docker_collector.h"

#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "collectors/docker/docker_api.h"
#include "collectors/docker/docker_context.h"
#include "core/log.h"
#include "core/metric_builder.h"

namespace silicon {
namespace {

bool SocketExists(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

std::string ShortId(const std::string& id) { return id.substr(0, 12); }

// Containers whose cgroup files may stay open: together at most half the descriptor limit, so a
// host with thousands of containers (or a low `ulimit -n`) falls back to opening files per read.
int KeepOpenBudget() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 1000;
  return static_cast<int>(limit.rlim_cur / 2 / CgroupStatsReader::kKeptDescriptors);
}

}  // namespace

Families DockerFamilies(const DockerSample& sample) {
  Families out;
  auto up = GaugeFamily("silicon_docker_up", "1 when the Docker Engine API answered this scrape.");
  AddSample(up, sample.up ? 1 : 0);
  out.push_back(std::move(up));
  if (!sample.up) return out;

  std::map<std::string, int> by_state;
  for (const auto& c : sample.containers) ++by_state[c.info.state];
  auto states = GaugeFamily("silicon_docker_containers", "Containers by state.");
  for (const char* state : {"created", "running", "paused", "restarting", "removing", "exited", "dead"}) {
    AddSample(states, by_state[state], {{"state", state}});
  }
  out.push_back(std::move(states));

  auto info = GaugeFamily("silicon_container_info", "Container identity; always 1. Running containers only.");
  auto cpu = CounterFamily("silicon_container_cpu_usage_seconds_total", "CPU time the container used.");
  auto usage = GaugeFamily("silicon_container_memory_usage_bytes", "Memory charged to the container, page cache included.");
  auto working = GaugeFamily("silicon_container_memory_working_set_bytes",
                             "Memory usage minus inactive file pages, as docker stats and cAdvisor report it.");
  auto limit = GaugeFamily("silicon_container_memory_limit_bytes", "The container's memory limit (absent when unlimited).");
  auto pids = GaugeFamily("silicon_container_pids", "Processes and threads in the container.");
  auto oom = CounterFamily("silicon_container_oom_kills_total", "Processes the kernel killed for the memory limit.");
  auto read = CounterFamily("silicon_container_blkio_read_bytes_total", "Bytes read from block devices.");
  auto write = CounterFamily("silicon_container_blkio_write_bytes_total", "Bytes written to block devices.");
  auto start = GaugeFamily("silicon_container_start_time_seconds", "When the container last started, Unix seconds.");
  auto health = GaugeFamily("silicon_container_health_status", "1 for the container's current health status.");
  auto age = GaugeFamily("silicon_container_stats_age_seconds",
                         "Age of the stats sample served (API stream mode only).");
  struct NetFamily {
    prometheus::MetricFamily family;
    double NetDevCounters::*field;
  };
  NetFamily net[] = {
      {CounterFamily("silicon_container_network_receive_bytes_total", "Bytes received."), &NetDevCounters::receive_bytes},
      {CounterFamily("silicon_container_network_receive_packets_total", "Packets received."), &NetDevCounters::receive_packets},
      {CounterFamily("silicon_container_network_receive_errors_total", "Receive errors."), &NetDevCounters::receive_errors},
      {CounterFamily("silicon_container_network_receive_dropped_total", "Received packets dropped."), &NetDevCounters::receive_dropped},
      {CounterFamily("silicon_container_network_transmit_bytes_total", "Bytes sent."), &NetDevCounters::transmit_bytes},
      {CounterFamily("silicon_container_network_transmit_packets_total", "Packets sent."), &NetDevCounters::transmit_packets},
      {CounterFamily("silicon_container_network_transmit_errors_total", "Transmit errors."), &NetDevCounters::transmit_errors},
      {CounterFamily("silicon_container_network_transmit_dropped_total", "Sent packets dropped."), &NetDevCounters::transmit_dropped},
  };

  for (const auto& c : sample.containers) {
    if (c.info.state != "running") continue;
    const std::vector<Label> who = {{"name", c.info.name}, {"id", ShortId(c.info.id)}};
    AddSample(info, 1, {{"id", ShortId(c.info.id)}, {"name", c.info.name}, {"image", c.info.image},
                        {"compose_project", c.info.compose_project}, {"compose_service", c.info.compose_service}});
    if (c.start_time_seconds) AddSample(start, *c.start_time_seconds, who);
    if (!c.info.health.empty()) {
      for (const char* status : {"starting", "healthy", "unhealthy"}) {
        auto labels = who;
        labels.push_back({"status", status});
        AddSample(health, c.info.health == status ? 1 : 0, labels);
      }
    }
    if (c.stats_age_seconds) AddSample(age, *c.stats_age_seconds, who);
    if (!c.stats) continue;
    const auto& s = *c.stats;
    const auto add = [&who](prometheus::MetricFamily& family, const std::optional<double>& value) {
      if (value) AddSample(family, *value, who);
    };
    add(cpu, s.cpu_seconds);
    add(usage, s.memory_usage_bytes);
    add(working, s.memory_working_set_bytes);
    add(limit, s.memory_limit_bytes);
    add(pids, s.pids);
    add(oom, s.oom_kills);
    add(read, s.blkio_read_bytes);
    add(write, s.blkio_write_bytes);
    for (const auto& interface : s.network) {
      auto labels = who;
      labels.push_back({"interface", interface.interface});
      for (auto& n : net) AddSample(n.family, interface.*n.field, labels);
    }
  }
  for (auto* family : {&info, &cpu, &usage, &working, &limit, &pids, &oom, &read, &write, &start, &health, &age}) {
    AppendIfNotEmpty(out, std::move(*family));
  }
  for (auto& n : net) AppendIfNotEmpty(out, std::move(n.family));
  return out;
}

DockerCollector::DockerCollector(HostPaths paths, DockerOptions options)
    : paths_(std::move(paths)), options_(std::move(options)) {}

DockerCollector::~DockerCollector() = default;

std::optional<double> DockerCollector::StartTime(const ContainerInfo& info, bool restarted) {
  const auto cached = start_times_.find(info.id);
  if (cached != start_times_.end() && !restarted) return cached->second;
  try {
    if (const auto started = ParseStartedAt(client_->Get("/containers/" + info.id + "/json"))) {
      start_times_[info.id] = *started;
      return started;
    }
  } catch (const std::exception& error) {
    log::Debug("docker inspect failed", {{"id", ShortId(info.id)}, {"err", error.what()}});
  }
  return std::nullopt;
}

Families DockerCollector::Collect() {
  if (!endpoint_) {
    const char* env = std::getenv("DOCKER_HOST");
    const auto host = options_.host ? options_.host : (env ? std::optional<std::string>(env) : std::nullopt);
    const char* home = std::getenv("HOME");
    const char* config_dir = std::getenv("DOCKER_CONFIG");
    const char* context = std::getenv("DOCKER_CONTEXT");
    const std::filesystem::path docker_config =
        config_dir ? std::filesystem::path(config_dir) : std::filesystem::path(home ? home : "") / ".docker";
    const auto context_host =
        host ? std::nullopt : DockerContextHost(docker_config, context ? std::optional<std::string>(context) : std::nullopt);
    endpoint_ = DiscoverDockerEndpoint(host, context_host, home ? home : "", &SocketExists);
    if (!endpoint_) throw NoDataError("no Docker engine: DOCKER_HOST unset and no docker.sock found");
    client_ = std::make_unique<DockerClient>(*endpoint_, options_.timeout_seconds);
    if (options_.stats_source != "cgroup") {
      streams_ = std::make_unique<StatsStreams>(*endpoint_, options_.timeout_seconds);
    }
  }

  DockerSample sample;
  try {
    const auto containers = ParseContainerList(client_->Get("/containers/json?all=true"));
    sample.up = true;
    for (const auto& info : containers) sample.containers.push_back({info, {}, {}, {}});
  } catch (const std::exception& error) {
    if (was_up_) log::Warn("Docker engine unreachable", {{"err", error.what()}});
    was_up_ = false;
    return DockerFamilies(sample);
  }
  if (!was_up_) log::Info("Docker engine reachable again");
  was_up_ = true;

  std::vector<std::string> streamed;
  std::map<std::string, std::string> states;
  // Readers that may still keep their files open this scrape.
  auto keep_open_left = KeepOpenBudget() - static_cast<int>(std::count_if(
      cgroups_.begin(), cgroups_.end(), [](const auto& entry) { return entry.second.keeps_open(); }));
  for (auto& c : sample.containers) {
    states[c.info.id] = c.info.state;
    if (c.info.state != "running") continue;
    const auto last = last_states_.find(c.info.id);
    const bool restarted = last != last_states_.end() && last->second != "running";
    c.start_time_seconds = StartTime(c.info, restarted);
    if (options_.stats_source != "api") {
      auto reader = cgroups_.find(c.info.id);
      if (reader == cgroups_.end()) {
        if (const auto found = FindContainerCgroup(paths_, c.info.id)) {
          const bool keep_open = keep_open_left > 0;
          reader = cgroups_.try_emplace(c.info.id, paths_, *found, keep_open).first;
          keep_open_left -= keep_open ? 1 : 0;
        }
      }
      if (reader != cgroups_.end()) c.stats = reader->second.Read();
    }
    if (!c.stats && streams_) streamed.push_back(c.info.id);
  }
  last_states_ = std::move(states);
  std::erase_if(start_times_, [this](const auto& entry) { return !last_states_.count(entry.first); });
  // A stopped container's cgroup is removed; its files would be stale descriptors until a restart.
  std::erase_if(cgroups_, [this](const auto& entry) {
    const auto state = last_states_.find(entry.first);
    return state == last_states_.end() || state->second != "running";
  });

  if (streams_) {
    streams_->Follow(streamed);
    const auto now = std::chrono::steady_clock::now();
    for (auto& c : sample.containers) {
      if (c.stats || c.info.state != "running") continue;
      if (const auto latest = streams_->Get(c.info.id)) {
        c.stats = latest->stats;
        c.stats_age_seconds = std::chrono::duration<double>(now - latest->at).count();
      }
    }
  }
  return DockerFamilies(sample);
}

}  // namespace silicon
