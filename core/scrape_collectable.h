#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/collectable.h>

#include "core/collector.h"

namespace silicon {

/// A collector with the name it is reported under.
struct NamedCollector {
  std::string name;
  std::unique_ptr<Collector> collector;
};

/// Runs every enabled collector per scrape, isolates their failures and reports on each:
/// silicon_scrape_collector_duration_seconds and silicon_scrape_collector_success.
///
/// Collectors run in the scraping thread, one after another (a hand-off to worker threads cost
/// ~25 % more CPU per scrape on a 2-core VM). A read that never returns (a sysfs file of a hung
/// driver sleeps in D state, which no signal interrupts) therefore holds the scrape that met it;
/// every later scrape sees that collector still running past the timeout and reports it failed
/// at once, without entering it, so one hang costs one scrape and one web server thread, never
/// all of them.
///
/// A scrape that finds a collector busy in another (the live page's history sampler, a second
/// Prometheus) waits for that collection, at most until the timeout, and takes a copy of its
/// result instead of collecting again: two scrapes meeting a Docker daemon that does not answer
/// cost one API timeout, not two back to back. Its duration sample is the time it waited.
class ScrapeCollectable : public prometheus::Collectable {
 public:
  explicit ScrapeCollectable(std::vector<NamedCollector> collectors,
                             std::chrono::milliseconds timeout = std::chrono::seconds(5));

  std::vector<prometheus::MetricFamily> Collect() const override;

  /// Names of the collectors it runs, in order.
  std::vector<std::string> Names() const;

 private:
  enum class Outcome { kNotRun, kOk, kNoData, kFailed };

  /// One collection's result, kept for the scrapes that waited for it.
  struct Result {
    std::vector<prometheus::MetricFamily> families;
    Outcome outcome = Outcome::kOk;
    std::string reason;
  };

  struct Entry {
    std::string name;
    std::unique_ptr<Collector> collector;
    std::timed_mutex busy;                      // held while a scrape runs the collector
    std::atomic<std::int64_t> running_since{0};  // steady_clock ticks when busy; 0 when idle
    Outcome last_outcome = Outcome::kNotRun;     // guarded by log_mutex_
    std::atomic<int> waiting{0};                 // scrapes waiting for busy
    std::atomic<std::uint64_t> collections{0};   // collections finished so far
    std::shared_ptr<const Result> shared;        // guarded by busy: the latest collection's result
                                                 // when a scrape waited for it, else null
  };

  /// Runs the collector (busy held) and keeps a copy of its result if another scrape waits.
  Result Run(Entry& entry) const;

  std::chrono::milliseconds timeout_;
  std::vector<std::unique_ptr<Entry>> entries_;
  mutable std::mutex log_mutex_;  // to log a change of state once, not every scrape
};

}  // namespace silicon
