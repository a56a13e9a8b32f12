#include "exporter/http/render_slots.h"

#include <algorithm>

namespace silicon {

RenderSlots::RenderSlots(int slots, std::chrono::milliseconds stuck_after)
    : stuck_after_(stuck_after), started_(static_cast<std::size_t>(std::max(slots, 1))) {}

bool RenderSlots::Free() const {
  return std::any_of(started_.begin(), started_.end(), [](const auto& started) { return !started; });
}

RenderSlots::Turn RenderSlots::Arrive(bool others_waiting, Clock::time_point now) const {
  if (!others_waiting && Free()) return Turn::kNow;
  const bool all_stuck = std::all_of(started_.begin(), started_.end(),
                                     [&](const auto& started) { return started && now - *started > stuck_after_; });
  return all_stuck ? Turn::kRefuse : Turn::kWait;
}

std::size_t RenderSlots::Begin(Clock::time_point now) {
  const auto free = std::find_if(started_.begin(), started_.end(), [](const auto& started) { return !started; });
  *free = now;  // callers ask Arrive or Free first
  return static_cast<std::size_t>(free - started_.begin());
}

void RenderSlots::End(std::size_t slot) { started_[slot].reset(); }

}  // namespace silicon
