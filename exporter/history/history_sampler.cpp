#include "exporter/history/history_sampler.h"

#include <spdlog/spdlog.h>

#include <ctime>

#include "exporter/history/history_input.h"
#include "exporter/history/page_series.h"

namespace silicon {
namespace {

std::int64_t UnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t ThreadCpuNs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

std::size_t Slots(std::chrono::milliseconds interval, std::chrono::milliseconds window) {
  return static_cast<std::size_t>((window.count() + interval.count() - 1) / interval.count());
}

}  // namespace

HistorySampler::HistorySampler(std::weak_ptr<prometheus::Collectable> source, std::chrono::milliseconds interval,
                               std::chrono::milliseconds window)
    : interval_(interval),
      window_(window),
      started_ms_(UnixMs()),
      store_(Slots(interval, window)),
      // A counter unseen for a whole window has nothing left to draw a rate next to.
      rates_(static_cast<double>(window.count()) / 1000),
      source_(std::move(source)),
      thread_([this] { Run(); }) {}

HistorySampler::~HistorySampler() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void HistorySampler::SetSource(std::weak_ptr<prometheus::Collectable> source) {
  const std::lock_guard lock(mutex_);
  source_ = std::move(source);
}

void HistorySampler::Run() {
  auto next = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    SampleOnce();
    cpu_ns_.store(ThreadCpuNs(), std::memory_order_relaxed);
    lock.lock();
    // On the interval's grid, not interval after the collection ended: the samples stay evenly
    // spaced however long a collection takes; one that overran skips to the next grid point.
    const auto now = std::chrono::steady_clock::now();
    do next += interval_; while (next <= now);
    wake_.wait_until(lock, next, [this] { return stop_; });
  }
}

void HistorySampler::SampleOnce() {
  std::shared_ptr<prometheus::Collectable> source;
  {
    const std::lock_guard lock(mutex_);
    source = source_.lock();
  }
  if (!source) return;
  try {
    const auto families = source->Collect();
    const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    const auto input = ReadHistoryInput(families);
    store_.Append(UnixMs(), PageSeries(input.gauges, rates_.Update(input.counters, now)));
  } catch (const std::exception& error) {
    // Collectors isolate their own failures; this is memory running out. The next sample retries.
    spdlog::warn("history sample failed err=\"{}\"", error.what());
  }
}

std::string HistorySampler::Json(std::int64_t since_ms) const {
  HistoryStatus status;
  status.interval_seconds = static_cast<double>(interval_.count()) / 1000;
  status.window_seconds = static_cast<double>(window_.count()) / 1000;
  status.started_ms = started_ms_;
  status.now_ms = UnixMs();
  status.sampler_cpu_seconds = static_cast<double>(cpu_ns_.load(std::memory_order_relaxed)) / 1e9;
  status.samples = store_.Samples();
  status.refused_series = store_.RefusedSeries();
  status.state_bytes = store_.StateBytes();
  return HistoryJson(store_.Since(since_ms), status);
}

}  // namespace silicon
