#pragma once

#include <cstddef>

#include "exporter/history/history_series.h"

namespace silicon {

/// The series the page draws at one moment, from the gauges and the rates of the counters
/// (CounterRates): CPU busy ratios per core and per core type, memory, swap traffic, levels,
/// temperatures, GPU, power, cluster frequencies, disk and network throughput, containers.
SeriesValues PageSeries(const SeriesValues& gauges, const SeriesValues& rates);

/// Containers kept per moment, the largest by memory: bounds the history with many containers.
inline constexpr std::size_t kMaxHistoryContainers = 64;

}  // namespace silicon
