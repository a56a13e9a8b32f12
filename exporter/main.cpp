#include <spdlog/spdlog.h>

#include <sys/resource.h>

#include <chrono>
#include <csignal>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <iostream>
#include <memory>
#include <thread>

#include "exporter/collector_table.h"
#include "exporter/command_line.h"
#include "exporter/config_file.h"
#include "exporter/exposition.h"
#include "exporter/history/history_sampler.h"
#include "exporter/logging.h"
#include "core/scrape_collectable.h"
#include "exporter/self_collectable.h"
#include "exporter/web_config.h"
#include "exporter/web_server.h"
#include "version.h"

namespace {

constexpr int kExitUsage = 2;  // bad flags or config, as node_exporter and kingpin do

std::vector<silicon::NamedCollector> EnabledCollectors(const silicon::Settings& settings) {
  std::vector<silicon::NamedCollector> collectors;
  for (const auto& entry : silicon::BuiltinCollectors()) {
    if (silicon::IsEnabled(entry, settings)) {
      collectors.push_back({std::string(entry.name), silicon::CreateCollector(entry, settings)});
    }
  }
  return collectors;
}

// The configuration from files and flags: defaults, then the config file, then flags on top.
// Throws UsageError, ConfigError or WebConfigError.
struct Configuration {
  silicon::Settings settings;
  silicon::WebConfig web;
};

Configuration LoadConfiguration(const silicon::CommandLine& command_line) {
  Configuration config;
  if (command_line.config_file) silicon::LoadConfigFile(*command_line.config_file, config.settings);
  silicon::ApplyCommandLine(command_line, config.settings);
  if (const auto problem = silicon::CheckHistorySamples(config.settings.history_window_seconds,
                                                        config.settings.history_interval_seconds)) {
    throw silicon::UsageError(*problem);
  }
  if (!config.settings.web_config_file.empty()) config.web = silicon::LoadWebConfig(config.settings.web_config_file);
  return config;
}

std::shared_ptr<silicon::ScrapeCollectable> MakeScrape(const silicon::Settings& settings) {
  return std::make_shared<silicon::ScrapeCollectable>(
      EnabledCollectors(settings),
      std::chrono::milliseconds(static_cast<long>(settings.collector_timeout_seconds * 1000)));
}

// What only a new listener could apply: reported by a reload and left as they are.
std::string NeedsRestart(const Configuration& running, const Configuration& next) {
  std::string keys;
  const auto add = [&keys](const char* key) { keys.append(keys.empty() ? "" : ",").append(key); };
  if (running.settings.listen_address != next.settings.listen_address) add("web.listen_address");
  if (running.settings.max_requests != next.settings.max_requests) add("web.max_requests");
  if (running.settings.max_connections != next.settings.max_connections) add("web.max_connections");
  if (running.settings.disable_ui != next.settings.disable_ui) add("web.disable_ui");
  if (running.settings.history_window_seconds != next.settings.history_window_seconds) add("web.ui_history");
  if (running.settings.history_interval_seconds != next.settings.history_interval_seconds) {
    add("web.ui_history_interval");
  }
  if (running.web.tls != next.web.tls) add("tls_server_config");
  return keys;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined.append(joined.empty() ? "" : ",").append(name);
  return joined;
}

// A reload (`systemctl reload`, `kill -HUP`): the files are read and checked in full first, so a
// bad edit leaves the running configuration as it was. What the listener itself runs with stays.
void Reload(const silicon::CommandLine& command_line, Configuration& config,
            std::shared_ptr<silicon::ScrapeCollectable>& scrape, const std::shared_ptr<silicon::SelfCollectable>& self,
            std::shared_ptr<const silicon::BasicAuth>& auth, silicon::WebServer& server,
            silicon::HistorySampler* history) {
  try {
    Configuration next = LoadConfiguration(command_line);
    const std::string restart = NeedsRestart(config, next);
    auto next_scrape = MakeScrape(next.settings);
    auto next_auth = std::make_shared<silicon::BasicAuth>(next.web.basic_auth_users);
    next_auth->RememberFrom(*auth);  // scrapers that logged in stay in, whatever guessers did meanwhile
    server.Update({next_scrape, self}, next_auth, next_scrape->Names());
    if (history) history->SetSource(next_scrape);
    scrape = std::move(next_scrape);  // requests still using the old one keep it alive until they finish
    auth = std::move(next_auth);
    silicon::SetupLogging(next.settings.log_level, next.settings.log_format);
    next.settings.listen_address = config.settings.listen_address;
    next.settings.max_requests = config.settings.max_requests;
    next.settings.max_connections = config.settings.max_connections;
    next.settings.disable_ui = config.settings.disable_ui;
    next.settings.history_window_seconds = config.settings.history_window_seconds;
    next.settings.history_interval_seconds = config.settings.history_interval_seconds;
    next.web.tls = config.web.tls;
    const bool auth_turned_off = !config.web.basic_auth_users.empty() && next.web.basic_auth_users.empty();
    config = std::move(next);
    spdlog::info("configuration reloaded collectors={}", JoinNames(scrape->Names()));
    if (auth_turned_off) {
      spdlog::warn("reload turned basic authentication off: the web config has no basic_auth_users now");
    }
    if (!restart.empty()) spdlog::warn("reload cannot change {}: restart the exporter to apply", restart);
  } catch (const std::exception& error) {
    spdlog::error("reload failed, keeping the running configuration err=\"{}\"", error.what());
  }
}

// Exits the process grace after the stop signal even if the web server is still waiting: it stops
// only when every request in flight has finished, and one held by a read that never returns (see
// ScrapeCollectable) would keep the process alive for ever.
void ExitAfter(std::chrono::milliseconds grace) {
  std::thread([grace] {
    std::this_thread::sleep_for(grace);
    spdlog::warn("requests still in flight {} ms after the stop signal (a collector stuck in a read?); exiting",
                 grace.count());
    spdlog::default_logger()->flush();
    std::_Exit(0);
  }).detach();
}

}  // namespace

int main(int argc, char** argv) {
#ifdef __GLIBC__
  // glibc gives each thread that allocates its own heap arena; every web worker serving a
  // scrape would then keep ~100 KB of freed pages. Two arenas are plenty for one scrape at a time.
  mallopt(M_ARENA_MAX, 2);
#endif
  // As Go programs (node_exporter among them) do since Go 1.19: the soft descriptor limit up to
  // the hard one. The docker collector keeps 8 cgroup files open per container within half of it.
  if (rlimit limit{}; getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  silicon::CommandLine command_line;
  Configuration config;
  try {
    command_line = silicon::ParseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
    if (command_line.help) {
      std::cout << silicon::UsageText();
      return 0;
    }
    if (command_line.version) {
      std::cout << "silicon_exporter " << silicon::build::kVersion << " (revision " << silicon::build::kRevision
                << ", " << silicon::PlatformName() << ")\n";
      return 0;
    }
    config = LoadConfiguration(command_line);
  } catch (const silicon::UsageError& error) {
    std::cerr << "silicon_exporter: " << error.what() << "\n";
    return kExitUsage;
  } catch (const silicon::ConfigError& error) {
    std::cerr << "silicon_exporter: invalid config: " << error.what() << "\n";
    return kExitUsage;
  } catch (const silicon::WebConfigError& error) {
    std::cerr << "silicon_exporter: invalid web config: " << error.what() << "\n";
    return kExitUsage;
  }
  if (command_line.config_check) {
    std::cout << "config OK\n";
    return 0;
  }
  const auto& settings = config.settings;

  silicon::SetupLogging(settings.log_level, settings.log_format);
  spdlog::debug("settings config_file={} procfs={} sysfs={} rootfs={} max_requests={}",
                command_line.config_file.value_or("none"), settings.paths.procfs.string(),
                settings.paths.sysfs.string(), settings.paths.rootfs.string(), settings.max_requests);
  auto scrape = MakeScrape(settings);
  auto connections = std::make_shared<silicon::ConnectionStats>();
  // --once serves nothing: no connection series then.
  auto self = std::make_shared<silicon::SelfCollectable>(command_line.once ? nullptr : connections);

  if (command_line.once) {
    std::cout << silicon::RenderExposition({scrape, self});
    std::cout.flush();
    return std::cout ? 0 : 1;
  }

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a scraper hanging up mid-response must not kill us

  // The live page's history: only where there is a page to draw it.
  std::shared_ptr<silicon::HistorySampler> history;
  if (!settings.disable_ui && settings.history_window_seconds > 0) {
    history = std::make_shared<silicon::HistorySampler>(
        scrape, std::chrono::milliseconds(static_cast<long>(settings.history_interval_seconds * 1000)),
        std::chrono::milliseconds(static_cast<long>(settings.history_window_seconds * 1000)));
  }
  std::shared_ptr<const silicon::BasicAuth> auth = std::make_shared<silicon::BasicAuth>(config.web.basic_auth_users);
  std::unique_ptr<silicon::WebServer> server;
  try {
    server = std::make_unique<silicon::WebServer>(
        silicon::WebOptions{settings.listen_address, settings.max_requests,
                            static_cast<std::size_t>(settings.max_connections), scrape->Names(),
                            auth, config.web.tls,
                            !settings.disable_ui, connections, history},
        std::vector<std::weak_ptr<prometheus::Collectable>>{scrape, self});
  } catch (const silicon::TlsSetupError& error) {
    spdlog::error("invalid web config err=\"{}\"", error.what());
    return kExitUsage;
  } catch (const std::exception& error) {
    spdlog::error("cannot start web server err=\"{}\"", error.what());
    return 1;
  }
  spdlog::info("listening address={} port={} tls={} workers={} collectors={} version={}", settings.listen_address,
               server->Port(), config.web.tls ? "on" : "off", silicon::WorkerCount(settings.max_requests),
               JoinNames(scrape->Names()), silicon::build::kVersion);

  int signal = 0;
  while (sigwait(&stop_signals, &signal) == 0 && signal == SIGHUP) {
    Reload(command_line, config, scrape, self, auth, *server, history.get());
  }
  spdlog::info("shutting down signal={}", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  // Past the collector timeout plus a second, nothing legitimate is left to wait for.
  ExitAfter(std::chrono::milliseconds(static_cast<long>(settings.collector_timeout_seconds * 1000) + 1000));
  server.reset();  // finishes responses in flight before returning
  history.reset();  // stops the sampler after its collection in progress
  return 0;
}
