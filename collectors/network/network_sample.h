#pragma once

#include <vector>

#include "core/net_dev.h"

namespace silicon {

/// Every interface a platform reader found, before the device filter.
struct NetworkSample {
  std::vector<NetDevCounters> interfaces;
};

}  // namespace silicon
