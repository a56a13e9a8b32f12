#include "collectors/network/network_collector.h"
#include "core/kept_open_file.h"
#include "core/net_dev.h"

namespace silicon {

// /proc/net/dev lists the interfaces of the reading process's network namespace: run the exporter
// in the host's (as node_exporter, --net=host in a container) to see the host's interfaces.
struct NetworkReader::Platform {
  KeptOpenFile net_dev;
};

NetworkReader::NetworkReader(const HostPaths& paths)
    : platform_(new Platform{KeptOpenFile(paths.procfs / "net/dev")}) {}

NetworkReader::~NetworkReader() = default;

NetworkSample NetworkReader::Read() {
  const auto text = platform_->net_dev.Read();
  if (!text) throw NoDataError("no " + platform_->net_dev.path().string());
  return NetworkSample{ParseNetDev(*text)};
}

}  // namespace silicon
