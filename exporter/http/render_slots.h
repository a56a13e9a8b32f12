#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace silicon {

/// How many requests are answered at once, and what becomes of one more: it waits its turn in
/// arrival order, or, when every slot has been held longer than `stuck_after` (a collector hung
/// in a read), it is refused at once rather than queued behind them. Not thread-safe: the
/// server's loop owns it.
class RenderSlots {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Turn { kNow, kWait, kRefuse };

  RenderSlots(int slots, std::chrono::milliseconds stuck_after);

  /// What to do with a request that arrives now, `others_waiting` behind the slots already.
  Turn Arrive(bool others_waiting, Clock::time_point now = Clock::now()) const;
  /// Whether a slot is free for a request that waited.
  bool Free() const;
  /// Takes a free slot for a render that begins now; End gives it back.
  std::size_t Begin(Clock::time_point now = Clock::now());
  void End(std::size_t slot);

 private:
  const std::chrono::milliseconds stuck_after_;
  std::vector<std::optional<Clock::time_point>> started_;  // per slot: when its render began
};

}  // namespace silicon
