#include "collectors/memory/memory_config.h"

#include "collectors/memory/memory_collector.h"

namespace silicon {

void MemoryConfig::AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) {
  handlers["pressure_warning_some_percent"] = walk.NumberInto(pressure.warning_some_percent, &CheckPercent);
  handlers["pressure_critical_full_percent"] = walk.NumberInto(pressure.critical_full_percent, &CheckPercent);
}

std::unique_ptr<Collector> MemoryConfig::Create(const HostPaths& paths) const {
  return std::make_unique<MemoryCollector>(paths, pressure);
}

}  // namespace silicon
