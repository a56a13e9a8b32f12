#pragma once

#include <map>

#include "exporter/history/history_series.h"

namespace silicon {

/// Per-second rates of counters between one collection and the next, as Prometheus's rate()
/// computes them: the increase over the time between the two readings, where a reading below the
/// previous one is a counter reset and the increase is then the new reading itself.
///
/// A counter missing from a collection (its collector failed, its container stopped) keeps its
/// last reading for forget_after_seconds: when it comes back, its rate spans the whole gap instead
/// of losing a second interval. A counter seen for the first time has no rate yet.
class CounterRates {
 public:
  explicit CounterRates(double forget_after_seconds = 600) : forget_after_seconds_(forget_after_seconds) {}

  /// The rates of the counters read at now_seconds (a monotonic clock) since their last reading.
  SeriesValues Update(const SeriesValues& counters, double now_seconds);

  /// Counters remembered (bounded: one not seen for forget_after_seconds is dropped).
  std::size_t Remembered() const { return last_.size(); }

 private:
  struct Reading {
    double value;
    double seconds;
  };
  double forget_after_seconds_;
  std::map<SeriesId, Reading> last_;
};

}  // namespace silicon
