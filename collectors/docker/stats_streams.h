#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "collectors/docker/docker_client.h"
#include "collectors/docker/docker_sample.h"

namespace silicon {

/// One streaming stats subscription per followed container (GET /containers/{id}/stats, stream),
/// each on its own thread, so a scrape serves the latest sample without waiting for the daemon's
/// one-second sampling tick. For engines whose cgroups this host cannot see (Docker Desktop's VM,
/// a remote daemon).
class StatsStreams {
 public:
  StatsStreams(DockerEndpoint endpoint, double timeout_seconds)
      : endpoint_(std::move(endpoint)), timeout_seconds_(timeout_seconds) {}
  ~StatsStreams();
  StatsStreams(const StatsStreams&) = delete;
  StatsStreams& operator=(const StatsStreams&) = delete;

  /// Starts streams for new ids and stops those of ids no longer given (stopped, removed).
  void Follow(const std::vector<std::string>& ids);

  struct Latest {
    ContainerStats stats;
    std::chrono::steady_clock::time_point at;
  };
  /// The newest sample of a followed container, if one has arrived.
  std::optional<Latest> Get(const std::string& id) const;

  std::size_t size() const { return streams_.size(); }

 private:
  struct Stream {
    std::atomic<bool> stop{false};
    std::atomic<bool> finished{false};
    std::thread thread;
  };
  void Run(const std::string& id, Stream& stream);
  static void StopAll(std::vector<std::unique_ptr<Stream>> streams);

  DockerEndpoint endpoint_;
  double timeout_seconds_;
  mutable std::mutex mutex_;  // guards latest_
  std::map<std::string, Latest> latest_;
  std::map<std::string, std::unique_ptr<Stream>> streams_;  // only touched by the scraping thread
  // Streams told to stop; joined once finished, so a scrape never waits for one to wind down.
  std::vector<std::unique_ptr<Stream>> retiring_;
};

}  // namespace silicon
