#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace silicon {

/// Leader/follower threads for one event loop: one thread at a time (the leader) waits for
/// events and runs their handlers, and the handler that completes a request renders and writes
/// the answer itself, on the same thread, with no hand-off to a worker and back (each a futex
/// wake, an eventfd write and two context switches, which were a third of a scrape's cost).
/// A handler that renders gives the loop up while it does (`Unlocked`); if it takes longer than
/// `stall_after` (a collector hung in a read), a watchdog lets a parked thread lead, so accepting,
/// reading, evicting and deadlines go on. When the renderer is done it takes the loop back and the
/// spare thread parks again. Handlers never run on two threads at once, so the server's state
/// needs no lock of its own.
class LoopThreads {
 public:
  /// `run_one` runs one handler of the loop (waiting for one) and returns false once the loop
  /// has no work left; `wake` makes a run_one that waits for events return soon (posts a no-op).
  /// At most `max_threads` threads are started, one of them at once.
  LoopThreads(std::function<bool()> run_one, std::function<void()> wake, int max_threads,
              std::chrono::milliseconds stall_after);
  /// Joins every thread: they end once run_one returns false.
  ~LoopThreads();
  LoopThreads(const LoopThreads&) = delete;
  LoopThreads& operator=(const LoopThreads&) = delete;

  /// Runs work without the loop, from within one of its handlers: another thread may lead
  /// meanwhile. Returns with the loop taken back.
  template <typename Work>
  void Unlocked(Work&& work) {
    Release();
    struct Retake {
      LoopThreads& threads;
      ~Retake() { threads.TakeBack(); }
    } retake{*this};
    work();
  }

  /// Threads started so far (for tests).
  std::size_t Started() const;

 private:
  using Clock = std::chrono::steady_clock;
  void Lead();
  void Watch();
  void Release();
  void TakeBack();
  void StartThreadLocked();

  const std::function<bool()> run_one_;
  const std::function<void()> wake_;
  const std::size_t max_threads_;
  const std::chrono::milliseconds stall_after_;

  std::mutex loop_;  // held by the thread that runs the loop's handlers
  // When the loop was given up by a renderer (steady clock ticks), 0 while a thread holds it.
  std::atomic<std::int64_t> leaderless_since_{0};
  std::atomic<std::uint64_t> renders_{0};  // loop give-ups so far: the watchdog sees activity
  std::atomic<int> returning_{0};          // renderers waiting to take the loop back

  mutable std::mutex park_mutex_;
  std::condition_variable park_;   // parked threads wait here to be asked to lead
  std::condition_variable watch_;  // the watchdog sleeps here
  int wanted_ = 0;                 // threads asked to lead, not yet woken
  int parked_ = 0;                 // threads waiting in park_
  bool done_ = false;              // the loop ran out of work: every thread ends
  std::atomic<bool> watchdog_asleep_{false};
  std::vector<std::thread> threads_;
  std::thread watchdog_;
};

}  // namespace silicon
