#pragma once

#include <prometheus/collectable.h>

#include <memory>
#include <mutex>

#include "exporter/http/connection_stats.h"
#include "exporter/process_sample.h"

namespace silicon {

/// Maps the process sample to the standard process_* families (pure).
std::vector<prometheus::MetricFamily> ProcessFamilies(const ProcessSample& sample);

/// The exporter's own health: process_* metrics, silicon_exporter_build_info and, when serving,
/// what the web server did with connections (silicon_http_connections_*).
class SelfCollectable : public prometheus::Collectable {
 public:
  explicit SelfCollectable(std::shared_ptr<const ConnectionStats> connections = nullptr)
      : connections_(std::move(connections)) {}
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const std::shared_ptr<const ConnectionStats> connections_;
  mutable std::mutex mutex_;  // the reader keeps files open between scrapes
  mutable ProcessReader reader_;
};

/// "linux/amd64"-style platform name for build info.
const char* PlatformName();

}  // namespace silicon
