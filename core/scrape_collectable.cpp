#include "core/scrape_collectable.h"

#include <cstdio>
#include <exception>

#include "core/log.h"
#include "core/metric_builder.h"

namespace silicon {
namespace {

using Clock = std::chrono::steady_clock;

std::string Seconds(Clock::duration duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", std::chrono::duration<double>(duration).count());
  return text;
}

}  // namespace

ScrapeCollectable::ScrapeCollectable(std::vector<NamedCollector> collectors, std::chrono::milliseconds timeout)
    : timeout_(timeout) {
  for (auto& [name, collector] : collectors) {
    auto entry = std::make_unique<Entry>();
    entry->name = name;
    entry->collector = std::move(collector);
    entries_.push_back(std::move(entry));
  }
}

std::vector<std::string> ScrapeCollectable::Names() const {
  std::vector<std::string> names;
  for (const auto& entry : entries_) names.push_back(entry->name);
  return names;
}

std::vector<prometheus::MetricFamily> ScrapeCollectable::Collect() const {
  const auto deadline = Clock::now() + timeout_;
  auto duration = GaugeFamily("silicon_scrape_collector_duration_seconds",
                              "Time each collector took in this scrape.");
  auto success = GaugeFamily("silicon_scrape_collector_success",
                             "1 when the collector worked (or found no source to read), 0 when it failed.");
  std::vector<prometheus::MetricFamily> out;

  for (const auto& entry_pointer : entries_) {
    Entry& entry = *entry_pointer;
    const auto start = Clock::now();
    Result result;
    std::unique_lock lock(entry.busy, std::try_to_lock);
    const auto since = entry.running_since.load();
    if (!lock && since != 0 && start - Clock::time_point(Clock::duration(since)) > timeout_) {
      result.outcome = Outcome::kFailed;
      result.reason = "stuck in an earlier scrape for " + Seconds(start - Clock::time_point(Clock::duration(since))) +
                      " (a read that does not return?)";
    } else if (lock) {
      result = Run(entry);
    } else {
      ++entry.waiting;
      const auto finished_before = entry.collections.load();
      const bool got = lock.try_lock_until(deadline);
      --entry.waiting;
      if (!got) {
        result.outcome = Outcome::kFailed;
        result.reason = "busy in another scrape past the " + Seconds(timeout_) + " timeout";
      } else if (entry.collections.load() != finished_before && entry.shared) {
        // The collection this scrape waited for; the last scrape that waited for it lets it go.
        result = *entry.shared;
        if (entry.waiting.load() == 0) entry.shared.reset();
      } else {
        result = Run(entry);
      }
    }
    for (auto& family : result.families) out.push_back(std::move(family));
    const Outcome outcome = result.outcome;
    const std::string& reason = result.reason;
    const std::chrono::duration<double> took = Clock::now() - start;

    {
      const std::lock_guard log_lock(log_mutex_);
      if (outcome != entry.last_outcome) {
        if (outcome == Outcome::kFailed) {
          log::Error("collector failed", {{"collector", entry.name}, {"err", reason}});
        } else if (outcome == Outcome::kNoData) {
          log::Debug("collector has no data", {{"collector", entry.name}, {"reason", reason}});
        } else if (entry.last_outcome == Outcome::kFailed) {
          log::Info("collector recovered", {{"collector", entry.name}});
        }
        entry.last_outcome = outcome;
      }
    }
    AddSample(duration, took.count(), {{"collector", entry.name}});
    AddSample(success, outcome == Outcome::kFailed ? 0 : 1, {{"collector", entry.name}});
  }
  out.push_back(std::move(duration));
  out.push_back(std::move(success));
  return out;
}

ScrapeCollectable::Result ScrapeCollectable::Run(Entry& entry) const {
  Result result;
  entry.running_since.store(Clock::now().time_since_epoch().count());
  try {
    result.families = entry.collector->Collect();
  } catch (const NoDataError& error) {
    result.outcome = Outcome::kNoData;
    result.reason = error.what();
  } catch (const std::exception& error) {
    result.outcome = Outcome::kFailed;
    result.reason = error.what();
  } catch (...) {
    result.outcome = Outcome::kFailed;
    result.reason = "unknown exception";
  }
  entry.running_since.store(0);
  // A copy only when someone waits: kept otherwise, it would hold a scrape's worth of families
  // (100 containers: ~100 KB) for nobody. Counted after the copy, so that a scrape that saw the
  // count before this collection ended finds the copy made.
  entry.shared = entry.waiting.load() > 0 ? std::make_shared<const Result>(result) : nullptr;
  ++entry.collections;
  return result;
}

}  // namespace silicon
