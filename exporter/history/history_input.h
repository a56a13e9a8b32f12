#pragma once

#include <vector>

#include <prometheus/metric_family.h>

#include "exporter/history/history_series.h"

namespace silicon {

/// What one collection offers the history, before any arithmetic: the gauges the page draws as
/// they are, and the counters it draws as rates, summed per core or per device where the page
/// shows one line for several series (CPU modes).
struct HistoryInput {
  SeriesValues gauges;
  SeriesValues counters;
};

/// Picks the page's series out of a collection (the same families /metrics serves). Families it
/// does not draw are skipped; a collector that failed simply contributes nothing.
HistoryInput ReadHistoryInput(const std::vector<prometheus::MetricFamily>& families);

}  // namespace silicon
