#pragma once

#include <stdexcept>
#include <vector>

#include <prometheus/metric_family.h>

namespace silicon {

using Families = std::vector<prometheus::MetricFamily>;

/// Thrown when a collector's source does not exist on this machine (no GPU, no PSI): "no data".
class NoDataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A platform-neutral collector: reads a sample through its platform reader and maps it to metrics.
class Collector {
 public:
  virtual ~Collector() = default;

  /// Returns fresh metric families for one scrape; throws NoDataError when the source is absent
  /// and any other exception when reading fails.
  virtual Families Collect() = 0;
};

}  // namespace silicon
