#pragma once

#include <map>
#include <string>

#include "collectors/pressure/psi.h"
#include "exporter/collector.h"
#include "exporter/host_paths.h"

namespace silicon {

/// PSI per resource ("cpu", "memory", "io"); empty where the kernel has no PSI. One file per platform.
std::map<std::string, PsiStats> ReadPressure(const HostPaths& paths);

/// Maps PSI to silicon_pressure_stall_seconds_total{resource,kind} (pure); throws NoDataError when empty.
Families PressureFamilies(const std::map<std::string, PsiStats>& by_resource);

/// Pressure stall information: how long tasks waited on CPU, memory and I/O.
class PressureCollector : public Collector {
 public:
  explicit PressureCollector(HostPaths paths) : paths_(std::move(paths)) {}
  Families Collect() override { return PressureFamilies(ReadPressure(paths_)); }

 private:
  HostPaths paths_;
};

}  // namespace silicon
