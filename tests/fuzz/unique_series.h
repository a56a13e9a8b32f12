#pragma once

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <prometheus/metric_family.h>

namespace silicon::fuzz {

/// Aborts when two samples of the families share a name and label set: Prometheus keeps one of
/// two identical series and drops the other without a word, and promtool does not flag it.
inline void RequireUniqueSeries(const std::vector<prometheus::MetricFamily>& families) {
  std::set<std::string> seen;
  for (const auto& family : families) {
    for (const auto& metric : family.metric) {
      auto labels = metric.label;
      std::sort(labels.begin(), labels.end(),
                [](const auto& a, const auto& b) { return a.name < b.name; });
      std::string key = family.name;
      for (const auto& label : labels) key.append("\x1f").append(label.name).append("\x1e").append(label.value);
      if (!seen.insert(std::move(key)).second) std::abort();
    }
  }
}

}  // namespace silicon::fuzz
