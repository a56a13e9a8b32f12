#include "exporter/history/counter_rates.h"

#include <cmath>

namespace silicon {

SeriesValues CounterRates::Update(const SeriesValues& counters, double now_seconds) {
  SeriesValues rates;
  for (const auto& [id, value] : counters) {
    if (!std::isfinite(value)) continue;
    const auto last = last_.find(id);
    if (last != last_.end()) {
      const double seconds = now_seconds - last->second.seconds;
      // Below the last reading: the counter restarted from zero (a container or driver restart),
      // so everything it counts now was counted since then, as rate() assumes.
      const double increase = value >= last->second.value ? value - last->second.value : value;
      if (seconds > 0) rates[id] = increase / seconds;
    }
    last_[id] = Reading{value, now_seconds};
  }
  std::erase_if(last_, [&](const auto& entry) { return now_seconds - entry.second.seconds > forget_after_seconds_; });
  return rates;
}

}  // namespace silicon
