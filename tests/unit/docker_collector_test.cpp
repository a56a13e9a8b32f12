#include "tests/unit/catch.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "collectors/docker/docker_client.h"
#include "collectors/docker/docker_collector.h"
#include "collectors/docker/docker_context.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::CountSamples;
using silicon::test::FindValue;

TEST_CASE("Docker endpoint discovery follows the docker CLI", "[docker]") {
  const std::set<std::string> sockets = {"/var/run/docker.sock", "/Users/ada/.docker/run/docker.sock"};
  const auto exists = [&sockets](const std::string& path) { return sockets.count(path) > 0; };
  const auto desktop_only = [](const std::string& path) { return path == "/Users/ada/.docker/run/docker.sock"; };
  const auto colima_only = [](const std::string& path) { return path == "/Users/ada/.colima/default/docker.sock"; };
  const auto orbstack_only = [](const std::string& path) { return path == "/Users/ada/.orbstack/run/docker.sock"; };
  const auto none = [](const std::string&) { return false; };
  const std::optional<std::string> no_context;

  CHECK(DiscoverDockerEndpoint(std::string("unix:///tmp/d.sock"), no_context, "/Users/ada", exists)->unix_socket ==
        "/tmp/d.sock");
  const auto tcp = DiscoverDockerEndpoint(std::string("tcp://10.0.0.5:2375"), no_context, "/Users/ada", exists);
  CHECK(tcp->unix_socket.empty());
  CHECK(tcp->base_url == "http://10.0.0.5:2375");
  CHECK(DiscoverDockerEndpoint(std::nullopt, no_context, "/Users/ada", exists)->unix_socket == "/var/run/docker.sock");
  // Docker Desktop on macOS without the "default socket" setting, Colima, OrbStack.
  CHECK(DiscoverDockerEndpoint(std::nullopt, no_context, "/Users/ada", desktop_only)->unix_socket ==
        "/Users/ada/.docker/run/docker.sock");
  CHECK(DiscoverDockerEndpoint(std::nullopt, no_context, "/Users/ada", colima_only)->unix_socket ==
        "/Users/ada/.colima/default/docker.sock");
  CHECK(DiscoverDockerEndpoint(std::nullopt, no_context, "/Users/ada", orbstack_only)->unix_socket ==
        "/Users/ada/.orbstack/run/docker.sock");
  // The current context wins over every socket, DOCKER_HOST over the context.
  const std::optional<std::string> context = "unix:///Users/ada/.colima/work/docker.sock";
  CHECK(DiscoverDockerEndpoint(std::nullopt, context, "/Users/ada", exists)->unix_socket ==
        "/Users/ada/.colima/work/docker.sock");
  CHECK(DiscoverDockerEndpoint(std::string("tcp://box:2375"), context, "/Users/ada", exists)->base_url ==
        "http://box:2375");
  CHECK_FALSE(DiscoverDockerEndpoint(std::nullopt, no_context, "/Users/ada", none));
  CHECK_FALSE(DiscoverDockerEndpoint(std::string(""), no_context, "", none));
  CHECK_THROWS_AS(DiscoverDockerEndpoint(std::string("ssh://me@box"), no_context, "/h", exists), std::invalid_argument);
  CHECK_THROWS_AS(DiscoverDockerEndpoint(std::nullopt, std::string("ssh://me@box"), "/h", exists),
                  std::invalid_argument);
}

TEST_CASE("the docker CLI's current context names the engine", "[docker]") {
  const auto dir = std::filesystem::temp_directory_path() / ("silicon-docker-context-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  const auto write = [&dir](const std::string& path, const std::string& text) {
    std::filesystem::create_directories((dir / path).parent_path());
    std::ofstream(dir / path) << text;
  };
  CHECK_FALSE(DockerContextHost(dir, std::nullopt));  // no config at all
  write("config.json", R"({"auths":{},"currentContext":"colima"})");
  // The folder is the SHA-256 of the name; the lookup goes by the Name inside.
  write("contexts/meta/0a1b/meta.json",
        R"({"Name":"orbstack","Endpoints":{"docker":{"Host":"unix:///Users/ada/.orbstack/run/docker.sock"}}})");
  write("contexts/meta/f3c4/meta.json",
        R"({"Name":"colima","Metadata":{"Description":"colima"},"Endpoints":{"docker":{"Host":"unix:///Users/ada/.colima/default/docker.sock","SkipTLSVerify":false}}})");
  CHECK(DockerContextHost(dir, std::nullopt) == "unix:///Users/ada/.colima/default/docker.sock");
  // DOCKER_CONTEXT overrides the config file, as in the CLI.
  CHECK(DockerContextHost(dir, std::string("orbstack")) == "unix:///Users/ada/.orbstack/run/docker.sock");
  CHECK_FALSE(DockerContextHost(dir, std::string("default")));
  CHECK_FALSE(DockerContextHost(dir, std::string("gone")));

  SECTION("malformed files are no context, never an exception") {
    write("config.json", R"({"currentContext": 42})");
    CHECK_FALSE(DockerContextHost(dir, std::nullopt));
    write("config.json", "{not json");
    CHECK_FALSE(DockerContextHost(dir, std::nullopt));
    write("contexts/meta/f3c4/meta.json", R"({"Name":"colima","Endpoints":[1,2]})");
    CHECK_FALSE(DockerContextHost(dir, std::string("colima")));
    write("contexts/meta/f3c4/meta.json", R"({"Name":"colima","Endpoints":{"docker":{"Host":7}}})");
    CHECK_FALSE(DockerContextHost(dir, std::string("colima")));
  }
  std::filesystem::remove_all(dir);
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
