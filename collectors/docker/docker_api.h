#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/docker/docker_sample.h"

namespace silicon {

/// The Engine API answered something that is not the JSON it documents.
class DockerApiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// GET /containers/json?all=true (Engine API 1.41 shape); throws DockerApiError on malformed JSON.
std::vector<ContainerInfo> ParseContainerList(std::string_view json);

/// State.StartedAt of GET /containers/{id}/json as Unix seconds; nullopt when never started.
std::optional<double> ParseStartedAt(std::string_view inspect_json);

/// One sample of GET /containers/{id}/stats (stream or not), cgroup v1 or v2 daemon.
ContainerStats ParseStatsJson(std::string_view json);

/// RFC 3339 with optional fraction and "Z" ("2026-11-26T15:00:40.123456789Z") as Unix seconds.
std::optional<double> ParseRfc3339(std::string_view text);

/// The health in a list entry's Status text: "Up 5 minutes (healthy)" -> "healthy",
/// "(health: starting)" -> "starting". The list has no structured health field; inspect does,
/// but costs a request per container per scrape.
std::string HealthFromStatus(std::string_view status);

}  // namespace silicon
