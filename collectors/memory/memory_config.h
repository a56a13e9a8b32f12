#pragma once

#include "collectors/memory/memory_pressure_policy.h"
#include "core/collector_config.h"

namespace silicon {

/// The memory collector's options: collectors.memory.{pressure_warning_some_percent,
/// pressure_critical_full_percent}, the thresholds of the memory-pressure policy.
class MemoryConfig final : public CopyableCollectorConfig<MemoryConfig> {
 public:
  MemoryPressureOptions pressure;

  void AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) override;
  std::unique_ptr<Collector> Create(const HostPaths& paths) const override;
};

}  // namespace silicon
