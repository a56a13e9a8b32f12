#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "exporter/history/history_series.h"

namespace silicon {

/// What a reader gets: the moments after a given time, oldest first, and every series that has a
/// value in them (NaN where it had none: a gap).
struct HistoryWindow {
  std::vector<std::int64_t> timestamps_ms;
  std::vector<std::pair<SeriesId, std::vector<float>>> series;
};

/// The live page's recent past: fixed-size rings, one slot per sample, sharing one ring of
/// timestamps. Memory is capacity x (8 + 4 per series) bytes plus the series' names, and no more:
/// the oldest sample is overwritten, a series with no value left in the ring is dropped, and at
/// most max_series series are kept (a new one beyond that is refused and counted).
///
/// Values are floats: 7 significant digits are more than a chart's pixels show, at half the bytes.
/// Thread-safe: the sampler appends while the web server reads.
class HistoryStore {
 public:
  explicit HistoryStore(std::size_t capacity, std::size_t max_series = 512);

  /// Records one sample taken at time_ms (Unix time in ms); series absent from values get a gap.
  void Append(std::int64_t time_ms, const SeriesValues& values);

  /// The samples taken after since_ms (everything for 0).
  HistoryWindow Since(std::int64_t since_ms) const;

  /// Bytes the store holds now: ring slots, series names and labels, and map nodes.
  std::size_t StateBytes() const;

  std::size_t Capacity() const { return capacity_; }
  std::size_t SeriesCount() const;
  std::uint64_t Samples() const;
  std::uint64_t RefusedSeries() const;

 private:
  struct Ring {
    std::vector<float> values;   // capacity slots; slot i belongs to timestamps_[i]
    std::uint64_t last_sample;   // the sample number it last had a value in
  };

  std::size_t capacity_;
  std::size_t max_series_;
  mutable std::mutex mutex_;
  std::vector<std::int64_t> timestamps_;  // ring; filled up to min(samples_, capacity_)
  std::uint64_t samples_ = 0;             // appended since the start; the next goes to samples_ % capacity_
  std::uint64_t refused_series_ = 0;
  std::map<SeriesId, Ring> rings_;
};

}  // namespace silicon
