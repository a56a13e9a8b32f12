#pragma once

#include <map>
#include <memory>
#include <string>

#include "core/psi.h"
#include "core/collector.h"
#include "core/host_paths.h"

namespace silicon {

/// Reads PSI per resource ("cpu", "memory", "io"); empty where the kernel has no PSI.
/// One file per platform (pressure_reader_<platform>.cpp).
class PressureReader {
 public:
  explicit PressureReader(const HostPaths& paths);
  ~PressureReader();
  PressureReader(const PressureReader&) = delete;
  PressureReader& operator=(const PressureReader&) = delete;

  std::map<std::string, PsiStats> Read();

 private:
  struct Platform;
  std::unique_ptr<Platform> platform_;
};

/// Maps PSI to silicon_pressure_stall_seconds_total{resource,kind} (pure); throws NoDataError when empty.
Families PressureFamilies(const std::map<std::string, PsiStats>& by_resource);

/// Pressure stall information: how long tasks waited on CPU, memory and I/O.
class PressureCollector : public Collector {
 public:
  explicit PressureCollector(const HostPaths& paths) : reader_(paths) {}
  Families Collect() override { return PressureFamilies(reader_.Read()); }

 private:
  PressureReader reader_;
};

}  // namespace silicon
