#pragma once

#include "collectors/power/power_collector.h"
#include "core/collector_config.h"

namespace silicon {

/// The power collector's options: collectors.power.sample_interval_seconds, how often the macOS
/// sampler thread reads IOReport (0.1 to 60; Linux reads RAPL at each scrape and ignores it).
class PowerConfig final : public CopyableCollectorConfig<PowerConfig> {
 public:
  PowerOptions options;

  void AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) override;
  std::unique_ptr<Collector> Create(const HostPaths& paths) const override;
};

}  // namespace silicon
