#include "collectors/filesystem/statvfs_runner.h"

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

namespace silicon {

struct StatvfsRunner::Shared {
  std::mutex mutex;
  std::set<std::string> stuck;  // paths whose call has not returned yet
};

// One thread that runs the jobs the runner hands it, one path at a time.
struct StatvfsRunner::Worker {
  std::mutex mutex;
  std::condition_variable wake;
  std::vector<std::string> paths;  // the job
  std::vector<std::optional<struct statvfs>> results;
  std::size_t done = 0;  // results filled so far
  std::chrono::steady_clock::time_point current_started;
  bool has_job = false;
  bool quit = false;
  bool abandoned = false;  // left behind on a hung call: it exits when that call returns

  static void Run(std::shared_ptr<Worker> self, std::shared_ptr<Shared> shared) {
    std::unique_lock lock(self->mutex);
    while (true) {
      self->wake.wait(lock, [&] { return self->quit || (self->has_job && self->done < self->paths.size()); });
      if (self->quit) return;
      const std::string path = self->paths[self->done];
      self->current_started = std::chrono::steady_clock::now();
      lock.unlock();
      struct statvfs stat {};
      const bool ok = statvfs(path.c_str(), &stat) == 0;
      lock.lock();
      if (self->abandoned) {
        const std::lock_guard stuck_lock(shared->mutex);
        shared->stuck.erase(path);  // it answered after all: ask it again next scrape
        return;
      }
      self->results[self->done] = ok ? std::optional<struct statvfs>(stat) : std::nullopt;
      // The runner waits for the whole job (or a deadline): one wake-up per job, not per path.
      if (++self->done == self->paths.size()) self->wake.notify_all();
    }
  }
};

namespace {

std::shared_ptr<StatvfsRunner::Worker> StartWorker(const std::shared_ptr<StatvfsRunner::Shared>& shared) {
  auto worker = std::make_shared<StatvfsRunner::Worker>();
  std::thread(&StatvfsRunner::Worker::Run, worker, shared).detach();
  return worker;
}

}  // namespace

StatvfsRunner::StatvfsRunner(std::chrono::milliseconds timeout)
    : timeout_(timeout), shared_(std::make_shared<Shared>()) {}

StatvfsRunner::~StatvfsRunner() {
  if (!worker_) return;
  const std::lock_guard lock(worker_->mutex);
  worker_->quit = true;
  worker_->wake.notify_all();
}

std::vector<StatvfsRunner::Result> StatvfsRunner::StatAll(const std::vector<std::string>& paths) {
  std::vector<Result> results(paths.size());
  std::vector<std::size_t> to_ask;  // indexes of the paths not known to hang
  {
    const std::lock_guard lock(shared_->mutex);
    for (std::size_t i = 0; i < paths.size(); ++i) {
      if (shared_->stuck.count(paths[i])) {
        results[i].stuck = true;
      } else {
        to_ask.push_back(i);
      }
    }
  }
  // Started on first use: a laptop whose file systems are all local never needs the thread.
  if (!worker_ && !to_ask.empty()) worker_ = StartWorker(shared_);
  std::size_t asked = 0;
  while (asked < to_ask.size()) {
    std::unique_lock lock(worker_->mutex);
    worker_->paths.clear();
    for (std::size_t k = asked; k < to_ask.size(); ++k) worker_->paths.push_back(paths[to_ask[k]]);
    worker_->results.assign(worker_->paths.size(), std::nullopt);
    worker_->done = 0;
    worker_->current_started = std::chrono::steady_clock::now();  // the worker restarts it per path
    worker_->has_job = true;
    worker_->wake.notify_all();
    bool hung = false;
    const auto finished = [&] { return worker_->done == worker_->paths.size(); };
    // Wake at the deadline of the call under way; if by then a later call is under way, wait for
    // its deadline in turn. A call still running past its own deadline is the worker's last for us.
    while (!worker_->wake.wait_until(lock, worker_->current_started + timeout_, finished)) {
      if (std::chrono::steady_clock::now() >= worker_->current_started + timeout_) {
        hung = true;
        break;
      }
    }
    for (std::size_t k = 0; k < worker_->done; ++k) results[to_ask[asked + k]].stat = worker_->results[k];
    asked += worker_->done;
    worker_->has_job = false;
    if (!hung) break;
    // The call at position `asked` hangs: park this worker with it and go on with a fresh one.
    const std::string& hung_path = paths[to_ask[asked]];
    results[to_ask[asked]].stuck = true;
    {
      const std::lock_guard stuck_lock(shared_->mutex);
      shared_->stuck.insert(hung_path);
    }
    worker_->abandoned = true;
    lock.unlock();
    worker_ = StartWorker(shared_);
    ++asked;
  }
  return results;
}

}  // namespace silicon
