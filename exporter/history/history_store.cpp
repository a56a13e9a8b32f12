#include "exporter/history/history_store.h"

#include <algorithm>
#include <cmath>

namespace silicon {

HistoryStore::HistoryStore(std::size_t capacity, std::size_t max_series)
    : capacity_(std::max<std::size_t>(capacity, 1)), max_series_(max_series), timestamps_(capacity_, 0) {}

void HistoryStore::Append(std::int64_t time_ms, const SeriesValues& values) {
  const std::lock_guard lock(mutex_);
  const std::size_t slot = samples_ % capacity_;
  const std::uint64_t sample = samples_;
  timestamps_[slot] = time_ms;
  for (auto& [id, ring] : rings_) ring.values[slot] = NAN;  // a gap unless this sample has a value
  for (const auto& [id, value] : values) {
    auto ring = rings_.find(id);
    if (ring == rings_.end()) {
      if (rings_.size() >= max_series_) {
        ++refused_series_;
        continue;
      }
      ring = rings_.emplace(id, Ring{std::vector<float>(capacity_, NAN), sample}).first;
    }
    ring->second.values[slot] = static_cast<float>(value);
    ring->second.last_sample = sample;
  }
  ++samples_;
  // A series whose last value has just been overwritten is all gaps: it takes no more room.
  std::erase_if(rings_, [&](const auto& entry) { return samples_ - entry.second.last_sample > capacity_; });
}

HistoryWindow HistoryStore::Since(std::int64_t since_ms) const {
  const std::lock_guard lock(mutex_);
  HistoryWindow window;
  const std::size_t held = static_cast<std::size_t>(std::min<std::uint64_t>(samples_, capacity_));
  std::vector<std::size_t> slots;  // oldest first
  for (std::size_t i = 0; i < held; ++i) {
    const std::size_t slot = static_cast<std::size_t>((samples_ - held + i) % capacity_);
    if (timestamps_[slot] > since_ms) slots.push_back(slot);
  }
  window.timestamps_ms.reserve(slots.size());
  for (const auto slot : slots) window.timestamps_ms.push_back(timestamps_[slot]);
  for (const auto& [id, ring] : rings_) {
    std::vector<float> values;
    values.reserve(slots.size());
    bool any = false;
    for (const auto slot : slots) {
      values.push_back(ring.values[slot]);
      any = any || !std::isnan(ring.values[slot]);
    }
    if (any) window.series.emplace_back(id, std::move(values));
  }
  return window;
}

std::size_t HistoryStore::StateBytes() const {
  const std::lock_guard lock(mutex_);
  // A std::map node: three pointers and a colour next to the key and value (libstdc++, libc++).
  constexpr std::size_t kMapNode = 4 * sizeof(void*);
  std::size_t bytes = sizeof(*this) + timestamps_.capacity() * sizeof(std::int64_t);
  for (const auto& [id, ring] : rings_) {
    bytes += kMapNode + sizeof(SeriesId) + sizeof(Ring) + ring.values.capacity() * sizeof(float);
    bytes += id.name.capacity() + id.labels.capacity() * sizeof(id.labels[0]);
    for (const auto& [key, value] : id.labels) bytes += key.capacity() + value.capacity();
  }
  return bytes;
}

std::size_t HistoryStore::SeriesCount() const {
  const std::lock_guard lock(mutex_);
  return rings_.size();
}

std::uint64_t HistoryStore::Samples() const {
  const std::lock_guard lock(mutex_);
  return samples_;
}

std::uint64_t HistoryStore::RefusedSeries() const {
  const std::lock_guard lock(mutex_);
  return refused_series_;
}

}  // namespace silicon
