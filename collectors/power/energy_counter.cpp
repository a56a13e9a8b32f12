#include "collectors/power/energy_counter.h"

namespace silicon {

double EnergyCounter64::Update(std::uint64_t microjoules, std::optional<std::uint64_t> range_microjoules) {
  if (last_ && microjoules < *last_) {
    // Wrapped: it ran from last to the top of the range, then from zero to the new reading. With
    // no range (or a reading above it) the best guess is a counter that restarted from zero.
    const bool range_known = range_microjoules && *range_microjoules >= *last_;
    wrapped_ += range_known ? *range_microjoules : *last_;
  }
  last_ = microjoules;
  return static_cast<double>(wrapped_ + microjoules) * 1e-6;
}

}  // namespace silicon
