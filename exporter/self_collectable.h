#pragma once

#include <prometheus/collectable.h>

#include <mutex>

#include "exporter/process_sample.h"

namespace silicon {

/// Maps the process sample to the standard process_* families (pure).
std::vector<prometheus::MetricFamily> ProcessFamilies(const ProcessSample& sample);

/// The exporter's own health: process_* metrics and silicon_exporter_build_info.
class SelfCollectable : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  mutable std::mutex mutex_;  // the reader keeps files open between scrapes
  mutable ProcessReader reader_;
};

/// "linux/amd64"-style platform name for build info.
const char* PlatformName();

}  // namespace silicon
