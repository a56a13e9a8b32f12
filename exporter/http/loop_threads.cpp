#include "exporter/http/loop_threads.h"

namespace silicon {
namespace {

// Polls without a render in between after which the watchdog sleeps until the next render
// (one futex wake then) instead of waking every stall_after on an idle exporter.
constexpr int kQuietPolls = 10;

}  // namespace

LoopThreads::LoopThreads(std::function<bool()> run_one, std::function<void()> wake, int max_threads,
                         std::chrono::milliseconds stall_after)
    : run_one_(std::move(run_one)),
      wake_(std::move(wake)),
      max_threads_(static_cast<std::size_t>(max_threads < 1 ? 1 : max_threads)),
      stall_after_(stall_after) {
  const std::lock_guard lock(park_mutex_);
  wanted_ = 1;  // the first thread leads at once
  StartThreadLocked();
  watchdog_ = std::thread([this] { Watch(); });
}

LoopThreads::~LoopThreads() {
  {
    std::unique_lock lock(park_mutex_);
    park_.wait(lock, [this] { return done_; });
  }
  watchdog_.join();  // after it, nobody starts threads
  for (auto& thread : threads_) thread.join();
}

std::size_t LoopThreads::Started() const {
  const std::lock_guard lock(park_mutex_);
  return threads_.size();
}

void LoopThreads::StartThreadLocked() { threads_.emplace_back([this] { Lead(); }); }

void LoopThreads::Lead() {
  for (;;) {
    {
      std::unique_lock lock(park_mutex_);
      ++parked_;
      park_.wait(lock, [this] { return done_ || wanted_ > 0; });
      --parked_;
      if (done_) return;
      --wanted_;
    }
    // Asked to lead while a renderer stalled; if it has taken the loop back since, park again.
    if (!loop_.try_lock()) continue;
    leaderless_since_ = 0;
    bool more = true;
    while (returning_.load() == 0 && (more = run_one_())) {
    }
    loop_.unlock();  // a renderer is back and leads again, or the loop has ended
    if (!more) {
      const std::lock_guard lock(park_mutex_);
      done_ = true;
      park_.notify_all();
      watch_.notify_all();
      return;
    }
  }
}

void LoopThreads::Release() {
  leaderless_since_ = Clock::now().time_since_epoch().count();
  renders_.fetch_add(1);
  loop_.unlock();
  if (watchdog_asleep_.load()) {
    const std::lock_guard lock(park_mutex_);
    watchdog_asleep_ = false;
    watch_.notify_one();
  }
}

void LoopThreads::TakeBack() {
  if (!loop_.try_lock()) {  // a spare thread leads: ask it to stop at its next handler
    returning_.fetch_add(1);
    wake_();
    loop_.lock();
    returning_.fetch_sub(1);
  }
  leaderless_since_ = 0;
}

void LoopThreads::Watch() {
  const std::int64_t stall_ticks = std::chrono::duration_cast<Clock::duration>(stall_after_).count();
  std::unique_lock lock(park_mutex_);
  std::uint64_t seen = renders_.load();
  int quiet = 0;
  while (!done_) {
    if (watchdog_asleep_) {
      watch_.wait(lock, [this] { return done_ || !watchdog_asleep_.load(); });
      quiet = 0;
      continue;
    }
    watch_.wait_for(lock, stall_after_);
    if (done_) break;
    const std::int64_t since = leaderless_since_.load();
    const std::uint64_t renders = renders_.load();
    if (since == 0) {
      if (renders != seen) {
        seen = renders;
        quiet = 0;
      } else if (++quiet >= kQuietPolls) {
        watchdog_asleep_ = true;
        // A render that began just now may have read the flag before it was set: look again.
        if (leaderless_since_.load() != 0 || renders_.load() != seen) watchdog_asleep_ = false;
      }
      continue;
    }
    quiet = 0;
    seen = renders;
    if (Clock::now().time_since_epoch().count() - since < stall_ticks || wanted_ > 0) continue;
    // Nobody has run the loop for stall_after: a parked thread leads, or a new one.
    if (parked_ == 0) {
      if (threads_.size() >= max_threads_) continue;
      StartThreadLocked();
    }
    ++wanted_;
    park_.notify_one();
  }
}

}  // namespace silicon
