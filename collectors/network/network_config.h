#pragma once

#include <string>

#include "core/collector_config.h"

namespace silicon {

/// Options of the network collector (collectors.network in the config file).
struct NetworkOptions {
  /// Interfaces to leave out; none by default, loopback included, as users of node_exporter
  /// upstream expect (Debian's package excludes lo; set "^lo$" for that).
  std::string device_exclude;
};

/// The network collector's config: collectors.network.device_exclude.
class NetworkConfig final : public CopyableCollectorConfig<NetworkConfig> {
 public:
  NetworkOptions options;

  void AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) override;
  std::unique_ptr<Collector> Create(const HostPaths& paths) const override;
};

}  // namespace silicon
