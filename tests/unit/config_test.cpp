#include "tests/unit/catch.h"

#include "collectors/docker/docker_config.h"
#include "collectors/memory/memory_config.h"
#include "collectors/power/power_config.h"
#include "collectors/thermal/thermal_config.h"
#include "exporter/command_line.h"
#include "exporter/config_file.h"
#include "exporter/config_source.h"
#include "exporter/web_config.h"
#include "exporter/web_server.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

using namespace silicon;

namespace {
Settings Load(const std::string& yaml) {
  Settings settings;
  LoadConfigText(yaml, "test.yml", settings);
  return settings;
}

// The options a collector's own config class parsed from collectors.NAME.
template <typename Config>
const Config& ConfigOf(const Settings& settings, const std::string& name) {
  REQUIRE(settings.collector_configs.count(name) == 1);
  const auto* config = dynamic_cast<const Config*>(settings.collector_configs.at(name).get());
  REQUIRE(config != nullptr);
  return *config;
}
}  // namespace

TEST_CASE("a full config file sets every field", "[config]") {
  const auto settings = Load(
      "web:\n"
      "  listen_address: ':9999'\n"
      "  max_requests: 5\n"
      "log:\n"
      "  level: debug\n"
      "  format: json\n"
      "paths:\n"
      "  procfs: /host/proc\n"
      "  sysfs: /host/sys\n"
      "  rootfs: /host\n"
      "collectors:\n"
      "  cpu:\n"
      "    enabled: false\n");
  CHECK(settings.listen_address == ":9999");
  CHECK(settings.max_requests == 5);
  CHECK(settings.log_level == "debug");
  CHECK(settings.log_format == "json");
  CHECK(settings.paths.procfs == "/host/proc");
  CHECK(settings.paths.sysfs == "/host/sys");
  CHECK(settings.paths.rootfs == "/host");
  CHECK(settings.collectors.at("cpu") == false);
}

TEST_CASE("an empty config file keeps the defaults", "[config]") {
  const auto settings = Load("");
  CHECK(settings.listen_address == "127.0.0.1:10025");
  CHECK(settings.collectors.empty());
  CHECK(Load("web:\n").max_requests == 40);
}

TEST_CASE("bad config is refused with file, line and key", "[config][bad-input]") {
  using Catch::Contains;
  CHECK_THROWS_WITH(Load("web:\n  listen_adress: x\n"),
                    Contains("test.yml:2:3: key 'web.listen_adress': unknown key"));
  CHECK_THROWS_WITH(Load("web:\n  max_requests: many\n"), Contains("test.yml:2:17: key 'web.max_requests': must be a whole number"));
  CHECK_THROWS_WITH(Load("web:\n  max_requests: -1\n"), Contains("key 'web.max_requests': must be between 0 (no limit) and 1000"));
  CHECK(Load("web:\n  max_connections: 64\n").max_connections == 64);
  CHECK_THROWS_WITH(Load("web:\n  max_connections: 8\n"),
                    Contains("test.yml:2:20: key 'web.max_connections': must be between 16 and 65536"));
  CHECK_THROWS_WITH(Load("web:\n  listen_address: 'localhost'\n"), Contains("key 'web.listen_address'"));
  CHECK_THROWS_WITH(Load("web:\n  listen_address: ':70000'\n"), Contains("port must be a number"));
  CHECK_THROWS_WITH(Load("log:\n  level: loud\n"), Contains("key 'log.level': 'loud' must be one of"));
  CHECK_THROWS_WITH(Load("log:\n  format: xml\n"), Contains("key 'log.format'"));
  CHECK_THROWS_WITH(Load("log: [1, 2]\n"), Contains("key 'log': must be a mapping"));
  CHECK_THROWS_WITH(Load("paths:\n  procfs: ''\n"), Contains("key 'paths.procfs': '' must not be empty"));
  CHECK_THROWS_WITH(Load("paths:\n  procfs: [a]\n"), Contains("key 'paths.procfs': must be a string"));
  CHECK_THROWS_WITH(Load("collectors:\n  gpux:\n    enabled: true\n"), Contains("key 'collectors.gpux': unknown key"));
  CHECK_THROWS_WITH(Load("collectors:\n  cpu:\n    enabled: maybe\n"),
                    Contains("key 'collectors.cpu.enabled': must be true or false"));
  CHECK_THROWS_WITH(Load("- a\n- b\n"), Contains("top level must be a mapping"));
  CHECK_THROWS_WITH(Load("web: {listen_address: ':1'\n"), Contains("test.yml:2:1: not valid YAML"));
  CHECK_THROWS_WITH(Load("surprise: 1\n"), Contains("key 'surprise': unknown key"));
}

TEST_CASE("a refused config leaves the settings as they were", "[config][bad-input]") {
  Settings settings;
  CHECK_THROWS(LoadConfigText("log:\n  level: debug\nweb:\n  max_requests: -1\n", "t", settings));
  CHECK(settings.log_level == "info");
}

TEST_CASE("a config file that does not exist is a config error", "[config][bad-input]") {
  Settings settings;
  CHECK_THROWS_WITH(LoadConfigFile("/nonexistent/silicon.yml", settings), Catch::Contains("cannot open"));
}

TEST_CASE("flags parse in both spellings and override the file", "[flags]") {
  const auto command_line = ParseCommandLine({"--web.listen-address", ":1234", "--log.level=warn", "--no-collector.cpu",
                                              "--path.procfs=/p", "--web.max-requests=3", "--once"});
  Settings settings = [] {
    Settings s;
    LoadConfigText("web:\n  listen_address: ':1'\nlog:\n  format: json\n", "t", s);
    return s;
  }();
  ApplyCommandLine(command_line, settings);
  CHECK(settings.listen_address == ":1234");
  CHECK(settings.log_level == "warn");
  CHECK(settings.log_format == "json");  // from the file: no flag said otherwise
  CHECK(settings.paths.procfs == "/p");
  CHECK(settings.max_requests == 3);
  CHECK(settings.collectors.at("cpu") == false);
  CHECK(command_line.once);
}

TEST_CASE("bad flags are usage errors that say what is wrong", "[flags][bad-input]") {
  using Catch::Contains;
  CHECK_THROWS_WITH(ParseCommandLine({"--bogus"}), Contains("unknown flag '--bogus'"));
  CHECK_THROWS_WITH(ParseCommandLine({"--web.listen-address"}), Contains("needs a value"));
  CHECK_THROWS_WITH(ParseCommandLine({"--once=yes"}), Contains("takes no value"));
  CHECK_THROWS_WITH(ParseCommandLine({"--collector.nope"}), Contains("unknown collector 'nope'"));
  CHECK_THROWS_WITH(ParseCommandLine({"--log.format=xml"}), Contains("must be logfmt or json"));
  CHECK_THROWS_WITH(ParseCommandLine({"--web.max-requests=lots"}), Contains("must be a whole number"));
  CHECK_THROWS_WITH(ParseCommandLine({"--web.listen-address=:99999"}), Contains("port must be"));
  CHECK(ParseCommandLine({}).collectors.empty());
  CHECK(UsageText().find("--collector.NAME") != std::string::npos);
}

TEST_CASE("memory and thermal options", "[config]") {
  const auto settings = Load(
      "collectors:\n"
      "  memory:\n"
      "    pressure_warning_some_percent: 20\n"
      "    pressure_critical_full_percent: 2.5\n"
      "  thermal:\n"
      "    fair_margin_celsius: 5\n"
      "    serious_celsius: 85\n"
      "    critical_celsius: 95\n"
      "  pressure:\n"
      "    enabled: false\n");
  const auto& memory = ConfigOf<MemoryConfig>(settings, "memory").pressure;
  CHECK(memory.warning_some_percent == 20);
  CHECK(memory.critical_full_percent == 2.5);
  const auto& thermal = ConfigOf<ThermalConfig>(settings, "thermal").options;
  CHECK(thermal.fair_margin_celsius == 5);
  CHECK_FALSE(thermal.fair_celsius);
  CHECK(thermal.serious_celsius == 85);
  CHECK(thermal.critical_celsius == 95);
  CHECK(settings.collectors.at("pressure") == false);
}

TEST_CASE("the power collector's sample interval", "[config]") {
  using Catch::Contains;
  CHECK(ConfigOf<PowerConfig>(Load("collectors:\n  power:\n    sample_interval_seconds: 0.5\n"), "power")
            .options.sample_interval_seconds == 0.5);
  CHECK(Load("collectors:\n  power_supply:\n    enabled: false\n").collectors.at("power_supply") == false);
  CHECK_THROWS_WITH(Load("collectors:\n  power:\n    sample_interval_seconds: 0\n"),
                    Contains("key 'collectors.power.sample_interval_seconds': must be between 0.1 and 60"));
  CHECK_THROWS_WITH(Load("collectors:\n  power:\n    sample_interval_seconds: soon\n"), Contains("must be a number"));
  CHECK_THROWS_WITH(Load("collectors:\n  power:\n    interval: 1\n"), Contains("interval"));
}

TEST_CASE("a second file keeps a collector's options it does not mention", "[config]") {
  Settings settings;
  LoadConfigText("collectors:\n  thermal:\n    serious_celsius: 85\n", "one.yml", settings);
  LoadConfigText("collectors:\n  thermal:\n    critical_celsius: 95\n", "two.yml", settings);
  const auto& thermal = ConfigOf<ThermalConfig>(settings, "thermal").options;
  CHECK(thermal.serious_celsius == 85);
  CHECK(thermal.critical_celsius == 95);
  // A refused file changes nothing, the collector's options included.
  CHECK_THROWS_AS(LoadConfigText("collectors:\n  thermal:\n    serious_celsius: 99\n", "bad.yml", settings),
                  ConfigError);
  CHECK(ConfigOf<ThermalConfig>(settings, "thermal").options.serious_celsius == 85);
}

TEST_CASE("bad memory and thermal options", "[config][bad-input]") {
  using Catch::Contains;
  CHECK_THROWS_WITH(Load("collectors:\n  memory:\n    pressure_warning_some_percent: 0\n"),
                    Contains("key 'collectors.memory.pressure_warning_some_percent': must be a percentage"));
  CHECK_THROWS_WITH(Load("collectors:\n  memory:\n    pressure_critical_full_percent: high\n"),
                    Contains("must be a number"));
  CHECK_THROWS_WITH(Load("collectors:\n  thermal:\n    critical_celsius: 500\n"),
                    Contains("key 'collectors.thermal.critical_celsius': must be a temperature"));
  CHECK_THROWS_WITH(Load("collectors:\n  thermal:\n    serious_celsius: 90\n    critical_celsius: 80\n"),
                    Contains("fair_celsius < serious_celsius < critical_celsius"));
  CHECK_THROWS_WITH(Load("collectors:\n  thermal:\n    fair_margin_celsius: -1\n"), Contains("between 0 and 100"));
  CHECK_THROWS_WITH(Load("collectors:\n  cpu:\n    serious_celsius: 90\n"),
                    Contains("key 'collectors.cpu.serious_celsius': unknown key"));
}

TEST_CASE("docker options", "[config]") {
  const auto settings = Load(
      "collectors:\n"
      "  docker:\n"
      "    stats_source: api\n"
      "    host: unix:///Users/ada/.docker/run/docker.sock\n"
      "    timeout_seconds: 0.5\n");
  const auto& docker = ConfigOf<DockerConfig>(settings, "docker").options;
  CHECK(docker.stats_source == "api");
  CHECK(docker.host == "unix:///Users/ada/.docker/run/docker.sock");
  CHECK(docker.timeout_seconds == 0.5);
  using Catch::Contains;
  CHECK_THROWS_WITH(Load("collectors:\n  docker:\n    stats_source: magic\n"),
                    Contains("key 'collectors.docker.stats_source': 'magic' must be auto, cgroup or api"));
  CHECK_THROWS_WITH(Load("collectors:\n  docker:\n    host: ssh://box\n"), Contains("must be unix:///path or tcp://"));
  CHECK_THROWS_WITH(Load("collectors:\n  docker:\n    timeout_seconds: 0\n"), Contains("must be above 0"));
}

TEST_CASE("the live page can be turned off by flag or config", "[config]") {
  CHECK_FALSE(Load("").disable_ui);
  CHECK(Load("web:\n  disable_ui: true\n").disable_ui);
  CHECK_THROWS_WITH(Load("web:\n  disable_ui: maybe\n"), Catch::Contains("key 'web.disable_ui': must be true or false"));
  Settings settings;
  ApplyCommandLine(ParseCommandLine({"--web.disable-ui"}), settings);
  CHECK(settings.disable_ui);
  CHECK_THROWS_AS(ParseCommandLine({"--web.disable-ui=yes"}), UsageError);
}

TEST_CASE("config files that are not regular files are refused at once", "[config][bad-input][linux]") {
  using Catch::Contains;
  Settings settings;
  // /dev/zero never ends (it once took 7.9 GB in 55 s); a FIFO blocks; a directory means nothing.
  CHECK_THROWS_WITH(LoadConfigFile("/dev/zero", settings), Contains("/dev/zero: config file is not a regular file"));
  char fifo[] = "/tmp/silicon-fifo-XXXXXX";
  REQUIRE(mkdtemp(fifo) != nullptr);
  const std::string fifo_path = std::string(fifo) + "/config.yml";
  REQUIRE(mkfifo(fifo_path.c_str(), 0600) == 0);
  CHECK_THROWS_WITH(LoadConfigFile(fifo_path, settings), Contains("is not a regular file"));
  CHECK_THROWS_WITH(LoadConfigFile(fifo, settings), Contains("is a directory"));
  CHECK_THROWS_WITH(LoadWebConfig(fifo_path), Contains("web config file is not a regular file"));
  CHECK_THROWS_WITH(LoadWebConfig(fifo), Contains("is a directory"));
  CHECK_THROWS_WITH(LoadWebConfig("/dev/zero"), Contains("is not a regular file"));
  std::remove(fifo_path.c_str());
  // Larger than the cap: refused by its size, before reading it.
  const std::string big = std::string(fifo) + "/big.yml";
  { std::ofstream(big) << std::string(kMaxConfigFileBytes + 1, '#'); }
  CHECK_THROWS_WITH(LoadConfigFile(big, settings), Contains("more than the 1048576"));
  CHECK_THROWS_WITH(LoadWebConfig(big), Contains("more than the 1048576"));
  std::remove(big.c_str());
  rmdir(fifo);
}

TEST_CASE("web.max_requests 0 is node_exporter's no limit: the most workers", "[config]") {
  // It used to be refused ("must be between 1 and 1000"), and values above 8 were capped unsaid.
  Settings settings;
  LoadConfigText("web:\n  max_requests: 0\n", "t", settings);
  CHECK(settings.max_requests == 0);
  CHECK(ParseCommandLine({"--web.max-requests=0"}).max_requests == 0);
  CHECK(WorkerCount(0) == 8);
  CHECK(WorkerCount(3) == 3);
  CHECK(WorkerCount(40) == 8);
  CHECK_THAT(UsageText(), Catch::Contains("0 for\n"));
}

TEST_CASE("history durations: Prometheus-style, checked, and the flags that take them", "[config][history]") {
  CHECK(ParseDurationSeconds("0") == 0.0);
  CHECK(ParseDurationSeconds("90s") == 90.0);
  CHECK(ParseDurationSeconds("1h30m") == 5400.0);
  CHECK(ParseDurationSeconds("500ms") == 0.5);
  for (const char* bad : {"", "h", "5", "5x", "1.5h", "-1m", "1h30"}) CHECK_FALSE(ParseDurationSeconds(bad));
  CHECK(CheckHistoryWindow("25h"));
  CHECK(CheckHistoryInterval("50ms"));
  CHECK_FALSE(CheckHistorySamples(3600, 5));
  CHECK_FALSE(CheckHistorySamples(0, 0.1));  // off: nothing to hold
  CHECK(CheckHistorySamples(86400, 1));      // 86,400 samples: over 17,280

  Settings settings;
  CHECK(settings.history_window_seconds == 3600);
  CHECK(settings.history_interval_seconds == 5);
  ApplyCommandLine(ParseCommandLine({"--web.ui.history=0", "--web.ui.history-interval", "2s"}), settings);
  CHECK(settings.history_window_seconds == 0);
  CHECK(settings.history_interval_seconds == 2);
  CHECK_THROWS_WITH(ParseCommandLine({"--web.ui.history=an hour"}), Catch::Contains("must be a duration"));
  CHECK_THROWS_WITH(ParseCommandLine({"--web.ui.history-interval=10ms"}), Catch::Contains("between 100ms and 10m"));
}
