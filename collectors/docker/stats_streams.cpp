#include "collectors/docker/stats_streams.h"

#include <set>

#include "collectors/docker/docker_api.h"
#include "core/log.h"

namespace silicon {

StatsStreams::~StatsStreams() {
  std::vector<std::unique_ptr<Stream>> all = std::move(retiring_);
  for (auto& [id, stream] : streams_) all.push_back(std::move(stream));
  StopAll(std::move(all));
}

void StatsStreams::StopAll(std::vector<std::unique_ptr<Stream>> streams) {
  // Flag them all first: each notices within about a second (curl's progress callback), together.
  for (auto& stream : streams) stream->stop = true;
  for (auto& stream : streams) {
    if (stream->thread.joinable()) stream->thread.join();
  }
}

void StatsStreams::Run(const std::string& id, Stream& stream) {
  DockerClient client(endpoint_, timeout_seconds_);
  const auto path = "/containers/" + id + "/stats?stream=true";
  while (!stream.stop) {
    try {
      client.Stream(
          path,
          [&](std::string_view line) {
            try {
              Latest latest{ParseStatsJson(line), std::chrono::steady_clock::now()};
              const std::lock_guard lock(mutex_);
              latest_[id] = std::move(latest);
            } catch (const DockerApiError& error) {
              log::Debug("docker stats line skipped", {{"id", id.substr(0, 12)}, {"err", error.what()}});
            }
          },
          [&] { return stream.stop.load(); }, /*stall_seconds=*/10);
    } catch (const std::exception& error) {
      log::Debug("docker stats stream failed", {{"id", id.substr(0, 12)}, {"err", error.what()}});
    }
    // The stream ended (container stopped, daemon restarted): try again shortly unless told to stop.
    for (int i = 0; i < 10 && !stream.stop; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stream.finished = true;
}

void StatsStreams::Follow(const std::vector<std::string>& ids) {
  const std::set<std::string> wanted(ids.begin(), ids.end());
  for (auto it = retiring_.begin(); it != retiring_.end();) {
    if (!(*it)->finished) {
      ++it;
      continue;
    }
    (*it)->thread.join();  // already returned: no wait
    it = retiring_.erase(it);
  }
  for (auto it = streams_.begin(); it != streams_.end();) {
    if (wanted.count(it->first)) {
      ++it;
      continue;
    }
    {
      const std::lock_guard lock(mutex_);
      latest_.erase(it->first);
    }
    it->second->stop = true;
    retiring_.push_back(std::move(it->second));
    it = streams_.erase(it);
  }
  for (const auto& id : wanted) {
    if (streams_.count(id)) continue;
    auto stream = std::make_unique<Stream>();
    Stream& ref = *stream;
    stream->thread = std::thread([this, id, &ref] { Run(id, ref); });
    streams_.emplace(id, std::move(stream));
  }
}

std::optional<StatsStreams::Latest> StatsStreams::Get(const std::string& id) const {
  const std::lock_guard lock(mutex_);
  const auto it = latest_.find(id);
  if (it == latest_.end()) return std::nullopt;
  return it->second;
}

}  // namespace silicon
