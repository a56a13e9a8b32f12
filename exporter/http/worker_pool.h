#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace silicon {

/// A fixed set of threads that run jobs in the order they were submitted: the web server's
/// requests are answered here, off its event loop, so that a slow scrape or a bcrypt check never
/// holds up accepting, reading or writing other connections.
class WorkerPool {
 public:
  /// A job is told whether it runs (false) or is dropped because the pool stops (true); either
  /// way it is called exactly once, so what it owns is released where it expects.
  using Job = std::function<void(bool cancelled)>;

  /// `stuck_after`: a worker on one job longer than this counts as stuck (a collector hung in a
  /// read): when all are, Submit refuses at once rather than queue behind them.
  WorkerPool(int threads, std::chrono::milliseconds stuck_after);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues a job; false (the job is not kept) when every worker is stuck or the pool has stopped.
  bool Submit(Job job);

  /// Cancels what is queued, lets running jobs finish, joins the threads. Idempotent.
  void Stop();

 private:
  void Work(std::size_t index);
  bool AllStuck(std::chrono::steady_clock::time_point now) const;

  const std::chrono::milliseconds stuck_after_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  // When each worker took its current job (steady clock ticks), 0 while it waits for one.
  std::unique_ptr<std::atomic<std::int64_t>[]> started_;
  std::vector<std::thread> threads_;
};

}  // namespace silicon
