#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "collectors/thermal/thermal_sample.h"
#include "collectors/thermal/thermal_state_policy.h"
#include "core/collector.h"
#include "core/host_paths.h"

namespace silicon {

/// Reads sensors on this platform (thermal_reader_<platform>.cpp).
class ThermalReader {
 public:
  /// Linux lists the sensors (names, labels, limits) at most every `relist` and reads only their
  /// inputs in between; macOS ignores it.
  explicit ThermalReader(const HostPaths& paths, std::chrono::milliseconds relist = std::chrono::seconds(10));
  ~ThermalReader();
  ThermalReader(const ThermalReader&) = delete;
  ThermalReader& operator=(const ThermalReader&) = delete;

  ThermalSample Read();

 private:
  struct Platform;
  std::unique_ptr<Platform> platform_;
};

/// Maps a thermal sample to families (pure); throws NoDataError when there is nothing at all.
Families ThermalFamilies(const ThermalSample& sample, const ThermalOptions& options);

/// Thermal state, temperatures and fans.
class ThermalCollector : public Collector {
 public:
  ThermalCollector(const HostPaths& paths, ThermalOptions options) : reader_(paths), options_(options) {}
  Families Collect() override { return ThermalFamilies(reader_.Read(), options_); }

 private:
  ThermalReader reader_;
  ThermalOptions options_;
};

}  // namespace silicon
