#include "collectors/network/network_config.h"

#include "collectors/network/network_collector.h"
#include "core/name_filter.h"

namespace silicon {

void NetworkConfig::AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) {
  handlers["device_exclude"] = walk.StringInto(options.device_exclude, &CheckNamePattern);
}

std::unique_ptr<Collector> NetworkConfig::Create(const HostPaths& paths) const {
  return std::make_unique<NetworkCollector>(paths, options);
}

}  // namespace silicon
