#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include <prometheus/collectable.h>

#include "exporter/history/counter_rates.h"
#include "exporter/history/history_json.h"
#include "exporter/history/history_store.h"

namespace silicon {

/// The live page's memory: a thread that collects every interval (the same collectors /metrics
/// runs, so a failing one fails here the same isolated way), turns counters into rates and keeps
/// the page's series in a HistoryStore covering window. Nothing is written to disk: a restart
/// starts empty.
class HistorySampler {
 public:
  HistorySampler(std::weak_ptr<prometheus::Collectable> source, std::chrono::milliseconds interval,
                 std::chrono::milliseconds window);
  ~HistorySampler();  // stops the thread, waiting for a collection in progress
  HistorySampler(const HistorySampler&) = delete;
  HistorySampler& operator=(const HistorySampler&) = delete;

  /// What a configuration reload changed the collectors to; the rings carry on.
  void SetSource(std::weak_ptr<prometheus::Collectable> source);

  /// The JSON of /api/history: the samples taken after since_ms.
  std::string Json(std::int64_t since_ms) const;

  const HistoryStore& Store() const { return store_; }

 private:
  void Run();
  void SampleOnce();

  std::chrono::milliseconds interval_;
  std::chrono::milliseconds window_;
  std::int64_t started_ms_;
  HistoryStore store_;
  CounterRates rates_;  // only the sampler thread touches it
  std::atomic<std::int64_t> cpu_ns_{0};

  mutable std::mutex mutex_;  // guards source_ and stop_
  std::condition_variable wake_;
  std::weak_ptr<prometheus::Collectable> source_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once everything above exists
};

}  // namespace silicon
