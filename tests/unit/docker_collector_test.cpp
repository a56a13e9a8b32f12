#include "tests/unit/catch.h"

#include <set>

#include "collectors/docker/docker_client.h"
#include "collectors/docker/docker_collector.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::CountSamples;
using silicon::test::FindValue;

TEST_CASE("Docker endpoint discovery follows the docker CLI", "[docker]") {
  const std::set<std::string> sockets = {"/var/run/docker.sock", "/Users/ada/.docker/run/docker.sock"};
  const auto exists = [&sockets](const std::string& path) { return sockets.count(path) > 0; };
  const auto desktop_only = [](const std::string& path) { return path == "/Users/ada/.docker/run/docker.sock"; };
  const auto none = [](const std::string&) { return false; };

  CHECK(DiscoverDockerEndpoint(std::string("unix:///tmp/d.sock"), "/Users/ada", exists)->unix_socket == "/tmp/d.sock");
  const auto tcp = DiscoverDockerEndpoint(std::string("tcp://10.0.0.5:2375"), "/Users/ada", exists);
  CHECK(tcp->unix_socket.empty());
  CHECK(tcp->base_url == "http://10.0.0.5:2375");
  CHECK(DiscoverDockerEndpoint(std::nullopt, "/Users/ada", exists)->unix_socket == "/var/run/docker.sock");
  // Docker Desktop on macOS without the "default socket" setting.
  CHECK(DiscoverDockerEndpoint(std::nullopt, "/Users/ada", desktop_only)->unix_socket ==
        "/Users/ada/.docker/run/docker.sock");
  CHECK_FALSE(DiscoverDockerEndpoint(std::nullopt, "/Users/ada", none));
  CHECK_FALSE(DiscoverDockerEndpoint(std::string(""), "", none));
  CHECK_THROWS_AS(DiscoverDockerEndpoint(std::string("ssh://me@box"), "/h", exists), std::invalid_argument);
}

TEST_CASE("Docker families: only running containers get series, health only with a healthcheck", "[docker]") {
  DockerSample sample;
  sample.up = true;
  ContainerStats stats;
  stats.cpu_seconds = 12.5;
  stats.memory_working_set_bytes = 1e6;
  stats.network = {{"eth0", 10, 1, 0, 0, 20, 2, 0, 0}};
  sample.containers = {
      {{std::string(64, 'a'), "web", "nginx:1", "running", "healthy", "shop", "web"}, 1.7e9, stats, 0.4},
      {{std::string(64, 'b'), "old", "busybox", "exited", "", "", ""}, std::nullopt, std::nullopt, std::nullopt},
  };
  const auto families = DockerFamilies(sample);
  CHECK(FindValue(families, "silicon_docker_up") == 1);
  CHECK(FindValue(families, "silicon_docker_containers", {{"state", "running"}}) == 1);
  CHECK(FindValue(families, "silicon_docker_containers", {{"state", "exited"}}) == 1);
  CHECK(FindValue(families, "silicon_container_info",
                  {{"id", "aaaaaaaaaaaa"}, {"name", "web"}, {"image", "nginx:1"}, {"compose_project", "shop"}}) == 1);
  CHECK(CountSamples(families, "silicon_container_info") == 1);
  CHECK(FindValue(families, "silicon_container_cpu_usage_seconds_total", {{"name", "web"}}) == 12.5);
  CHECK(FindValue(families, "silicon_container_network_transmit_bytes_total", {{"interface", "eth0"}}) == 20);
  CHECK(FindValue(families, "silicon_container_health_status", {{"status", "healthy"}}) == 1);
  CHECK(FindValue(families, "silicon_container_health_status", {{"status", "unhealthy"}}) == 0);
  CHECK(FindValue(families, "silicon_container_stats_age_seconds") == 0.4);
  CHECK(CountSamples(families, "silicon_container_memory_limit_bytes") == 0);

  const auto down = DockerFamilies(DockerSample{});
  CHECK(FindValue(down, "silicon_docker_up") == 0);
  CHECK(down.size() == 1);
}
