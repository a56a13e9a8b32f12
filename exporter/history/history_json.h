#pragma once

#include <cstdint>
#include <string>

#include "exporter/history/history_store.h"

namespace silicon {

/// What /api/history says about the sampler besides the samples.
struct HistoryStatus {
  double interval_seconds = 0;
  double window_seconds = 0;
  std::int64_t started_ms = 0;       // when this process began sampling: nothing older exists
  std::int64_t now_ms = 0;
  double sampler_cpu_seconds = 0;    // CPU time the sampler thread has used since then
  std::uint64_t samples = 0;         // taken since started_ms (the ring keeps the last capacity)
  std::uint64_t refused_series = 0;  // series not kept because the store was full
  std::size_t state_bytes = 0;
};

/// The JSON of /api/history: {"interval_seconds", ..., "timestamps": [ms...], "series":
/// [{"name", "labels": {...}, "values": [number or null...]}]}; values line up with timestamps.
std::string HistoryJson(const HistoryWindow& window, const HistoryStatus& status);

/// Appends text as a JSON string literal (quotes included), escaping what RFC 8259 requires.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace silicon
