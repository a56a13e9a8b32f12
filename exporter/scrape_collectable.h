#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/collectable.h>

#include "exporter/collector.h"

namespace silicon {

/// A collector with the name it is reported under.
struct NamedCollector {
  std::string name;
  std::unique_ptr<Collector> collector;
};

/// Runs every enabled collector per scrape, isolates their failures and reports on each:
/// silicon_scrape_collector_duration_seconds and silicon_scrape_collector_success.
class ScrapeCollectable : public prometheus::Collectable {
 public:
  explicit ScrapeCollectable(std::vector<NamedCollector> collectors);

  std::vector<prometheus::MetricFamily> Collect() const override;

  /// Names of the collectors it runs, in order.
  std::vector<std::string> Names() const;

 private:
  enum class Outcome { kNotRun, kOk, kNoData, kFailed };

  mutable std::mutex mutex_;  // collectors keep state between scrapes; one scrape at a time
  std::vector<NamedCollector> collectors_;
  mutable std::vector<Outcome> last_outcome_;  // to log a change of state once, not every scrape
};

}  // namespace silicon
