#include "exporter/http/worker_pool.h"

namespace silicon {

WorkerPool::WorkerPool(int threads, std::chrono::milliseconds stuck_after)
    : stuck_after_(stuck_after), started_(new std::atomic<std::int64_t>[static_cast<std::size_t>(threads)]) {
  for (std::size_t i = 0; i < static_cast<std::size_t>(threads); ++i) started_[i] = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(threads); ++i) threads_.emplace_back([this, i] { Work(i); });
}

WorkerPool::~WorkerPool() { Stop(); }

bool WorkerPool::AllStuck(std::chrono::steady_clock::time_point now) const {
  const std::int64_t limit = (now - stuck_after_).time_since_epoch().count();
  for (std::size_t i = 0; i < threads_.size(); ++i) {
    const std::int64_t started = started_[i].load();
    if (started == 0 || started > limit) return false;
  }
  return true;
}

bool WorkerPool::Submit(Job job) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ || AllStuck(std::chrono::steady_clock::now())) return false;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void WorkerPool::Work(std::size_t index) {
  for (;;) {
    Job job;
    bool cancelled = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      job = std::move(queue_.front());
      queue_.pop_front();
      cancelled = stopping_;
      if (!cancelled) started_[index] = std::chrono::steady_clock::now().time_since_epoch().count();
    }
    job(cancelled);
    started_[index] = 0;
  }
}

void WorkerPool::Stop() {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

}  // namespace silicon
