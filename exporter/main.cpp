#include <prometheus/text_serializer.h>
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
#include "exporter/logging.h"
#include "exporter/scrape_collectable.h"
#include "exporter/self_collectable.h"
#include "version.h"
#include "exporter/web_config.h"
#include "exporter/web_server.h"

namespace {

constexpr int kExitUsage = 2;  // bad flags or config, as node_exporter and kingpin do

std::vector<silicon::NamedCollector> EnabledCollectors(const silicon::Settings& settings) {
  std::vector<silicon::NamedCollector> collectors;
  for (const auto& entry : silicon::BuiltinCollectors()) {
    if (silicon::IsEnabled(entry, settings)) {
      collectors.push_back({std::string(entry.name), entry.create(settings)});
    }
  }
  return collectors;
}

// Waits for SIGTERM or SIGINT on this thread; they were blocked before any worker thread started.
// SIGHUP (a closed terminal, `systemctl reload`) must not kill the exporter: there is no config
// reload yet, so it is logged and otherwise ignored.
int WaitForStopSignal(const sigset_t& signals) {
  while (true) {
    int signal = 0;
    sigwait(&signals, &signal);
    if (signal != SIGHUP) return signal;
    spdlog::info("SIGHUP ignored: configuration reload is not supported, restart to apply changes");
  }
}

}  // namespace

int main(int argc, char** argv) {
#ifdef __GLIBC__
  // glibc gives each thread that allocates its own heap arena; every civetweb worker serving a
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
  silicon::Settings settings;
  std::shared_ptr<const silicon::BasicAuth> auth;
  silicon::WebConfig web_config;
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
    if (command_line.config_file) silicon::LoadConfigFile(*command_line.config_file, settings);
    silicon::ApplyCommandLine(command_line, settings);
    if (!settings.web_config_file.empty()) web_config = silicon::LoadWebConfig(settings.web_config_file);
    auth = std::make_shared<silicon::BasicAuth>(web_config.basic_auth_users);
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

  silicon::SetupLogging(settings.log_level, settings.log_format);
  spdlog::debug("settings config_file={} procfs={} sysfs={} rootfs={} max_requests={}",
                command_line.config_file.value_or("none"), settings.paths.procfs.string(),
                settings.paths.sysfs.string(), settings.paths.rootfs.string(), settings.max_requests);
  auto scrape = std::make_shared<silicon::ScrapeCollectable>(
      EnabledCollectors(settings), std::chrono::milliseconds(static_cast<long>(settings.collector_timeout_seconds * 1000)));
  auto self = std::make_shared<silicon::SelfCollectable>();

  if (command_line.once) {
    auto families = scrape->Collect();
    for (auto& family : self->Collect()) families.push_back(std::move(family));
    prometheus::TextSerializer().Serialize(std::cout, families);
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

  std::unique_ptr<silicon::WebServer> server;
  try {
    server = std::make_unique<silicon::WebServer>(
        silicon::WebOptions{settings.listen_address, settings.max_requests, scrape->Names(), auth, web_config.tls},
        std::vector<std::weak_ptr<prometheus::Collectable>>{scrape, self});
  } catch (const std::exception& error) {
    spdlog::error("cannot start web server err=\"{}\"", error.what());
    return 1;
  }
  std::string collectors;
  for (const auto& name : scrape->Names()) collectors += (collectors.empty() ? "" : ",") + name;
  spdlog::info("listening address={} port={} tls={} collectors={} version={}", settings.listen_address,
               server->Port(), web_config.tls ? "on" : "off", collectors, silicon::build::kVersion);

  const int signal = WaitForStopSignal(stop_signals);
  spdlog::info("shutting down signal={}", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  // civetweb stops only when every request in flight has finished; one held by a read that never
  // returns (see ScrapeCollectable) would keep the process alive for ever. Past the collector
  // timeout plus a second, nothing legitimate is left to wait for.
  const auto grace = std::chrono::milliseconds(static_cast<long>(settings.collector_timeout_seconds * 1000) + 1000);
  std::thread([grace] {
    std::this_thread::sleep_for(grace);
    spdlog::warn("requests still in flight {} ms after the stop signal (a collector stuck in a read?); exiting",
                 grace.count());
    spdlog::default_logger()->flush();
    std::_Exit(0);
  }).detach();
  server.reset();  // finishes responses in flight before returning
  return 0;
}
