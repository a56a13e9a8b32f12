#include "tests/unit/catch.h"

#include <fstream>
#include <sstream>

#include "collectors/docker/docker_api.h"

using namespace silicon;

namespace {
std::string Recorded(const std::string& name) {
  std::ifstream in(std::string(SILICON_FIXTURES) + "/docker-api/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

TEST_CASE("container list recorded from docker.io 20.10 (API 1.41)", "[docker][parser]") {
  const auto containers = ParseContainerList(Recorded("containers_all_v1.41.json"));
  REQUIRE(containers.size() == 3);
  const auto find = [&](const std::string& name) {
    for (const auto& c : containers) if (c.name == name) return c;
    FAIL("no container " << name);
    return ContainerInfo{};
  };
  const auto t1 = find("t1");
  CHECK(t1.id == "7b604a3956db983a4e56159c2922e9acbf30daff3a34ac0b9b230087c0320470");
  CHECK(t1.image == "silicon-test:busybox");
  CHECK(t1.state == "running");
  CHECK(t1.compose_project == "demo");
  CHECK(t1.compose_service == "web");
  CHECK(t1.health.empty());
  CHECK(find("healthy").health == "healthy");
  CHECK(find("done").state == "exited");
}

TEST_CASE("inspect: StartedAt", "[docker][parser]") {
  const auto started = ParseStartedAt(Recorded("inspect_running_v1.41.json"));
  REQUIRE(started);
  CHECK(*started > 1.7e9);
  CHECK_FALSE(ParseStartedAt(R"({"State":{"StartedAt":"0001-01-01T00:00:00Z"}})"));
  CHECK(ParseRfc3339("2026-11-26T15:00:40.5Z") == Approx(1795705240.5));
  CHECK(ParseRfc3339("1970-01-01T00:00:01Z") == 1);
  CHECK_FALSE(ParseRfc3339("2026-11-26 15:00:40"));
  CHECK_FALSE(ParseRfc3339("yesterday"));
}

TEST_CASE("stats JSON recorded from a cgroup v1 daemon", "[docker][parser]") {
  const auto stats = ParseStatsJson(Recorded("stats_cgroup_v1_v1.41.json"));
  CHECK(stats.cpu_seconds == Approx(0.032776608));
  REQUIRE(stats.memory_usage_bytes);
  CHECK(stats.memory_working_set_bytes <= stats.memory_usage_bytes);
  CHECK(stats.pids == 1);
  REQUIRE(stats.network.size() == 1);
  CHECK(stats.network[0].interface == "eth0");
}

TEST_CASE("stats JSON of a cgroup v2 daemon (hand-written: this engine runs cgroup v1)", "[docker][parser]") {
  const auto stats = ParseStatsJson(R"({"cpu_stats":{"cpu_usage":{"total_usage":2500000000}},
    "memory_stats":{"usage":104857600,"limit":8589934592,"stats":{"inactive_file":20971520,"anon":83886080}},
    "pids_stats":{"current":7},
    "blkio_stats":{"io_service_bytes_recursive":[{"major":259,"minor":0,"op":"read","value":1048576},
                                                 {"major":259,"minor":0,"op":"write","value":3145728}]},
    "networks":{"eth0":{"rx_bytes":10,"rx_packets":1,"rx_errors":0,"rx_dropped":0,
                        "tx_bytes":20,"tx_packets":2,"tx_errors":0,"tx_dropped":0}}})");
  CHECK(stats.cpu_seconds == 2.5);
  CHECK(stats.memory_working_set_bytes == 104857600 - 20971520);
  CHECK(stats.blkio_read_bytes == 1048576);
  CHECK(stats.blkio_write_bytes == 3145728);
  CHECK(stats.network.at(0).transmit_bytes == 20);
}

TEST_CASE("malformed or truncated Docker API JSON is an error, not a crash", "[docker][parser][bad-input]") {
  const auto list = Recorded("containers_all_v1.41.json");
  CHECK_THROWS_AS(ParseContainerList(list.substr(0, list.size() / 2)), DockerApiError);
  CHECK_THROWS_AS(ParseContainerList("{\"message\":\"page not found\"}"), DockerApiError);
  CHECK_THROWS_AS(ParseContainerList(""), DockerApiError);
  CHECK(ParseContainerList("[1, \"x\", {\"Names\":[]}, {\"Id\":7}]").empty());  // wrong types skipped
  CHECK_THROWS_AS(ParseStatsJson("{\"cpu_stats\":"), DockerApiError);
  const auto odd = ParseStatsJson(R"({"cpu_stats":{"cpu_usage":{"total_usage":"lots"}},"memory_stats":{"usage":-5},
                                      "networks":[1,2],"blkio_stats":{"io_service_bytes_recursive":null}})");
  CHECK_FALSE(odd.cpu_seconds);
  CHECK_FALSE(odd.memory_usage_bytes);
  CHECK(odd.network.empty());
  CHECK(HealthFromStatus("Up 2 hours (unhealthy)") == "unhealthy");
  CHECK(HealthFromStatus("Up 3 seconds (health: starting)") == "starting");
  CHECK(HealthFromStatus("Exited (0) 5 minutes ago").empty());
}
