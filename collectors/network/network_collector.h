#pragma once

#include <memory>

#include "collectors/network/network_config.h"
#include "collectors/network/network_sample.h"
#include "core/collector.h"
#include "core/host_paths.h"
#include "core/name_filter.h"

namespace silicon {

/// Reads interface counters on this platform (network_reader_<platform>.cpp).
class NetworkReader {
 public:
  explicit NetworkReader(const HostPaths& paths);
  ~NetworkReader();
  NetworkReader(const NetworkReader&) = delete;
  NetworkReader& operator=(const NetworkReader&) = delete;

  NetworkSample Read();

 private:
  struct Platform;
  std::unique_ptr<Platform> platform_;
};

/// Maps the interfaces the filter keeps to silicon_network_* families (pure); throws NoDataError
/// when the platform found no interface at all.
Families NetworkFamilies(const NetworkSample& sample, const NameFilter& filter);

/// Network traffic per interface.
class NetworkCollector : public Collector {
 public:
  NetworkCollector(const HostPaths& paths, const NetworkOptions& options)
      : reader_(paths), filter_(options.device_exclude) {}
  Families Collect() override { return NetworkFamilies(reader_.Read(), filter_); }

 private:
  NetworkReader reader_;
  NameFilter filter_;
};

}  // namespace silicon
