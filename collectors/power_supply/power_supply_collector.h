#pragma once

#include <filesystem>

#include "collectors/power_supply/power_supply_sample.h"
#include "core/collector.h"
#include "core/host_paths.h"

namespace silicon {

/// Reads batteries and supplies on this platform (power_supply_reader_<platform>.cpp).
PowerSupplySample ReadPowerSupplies(const HostPaths& paths);

/// Maps a sample to families (pure); throws NoDataError when there is no battery or supply.
Families PowerSupplyFamilies(const PowerSupplySample& sample);

/// Batteries and AC adapters.
class PowerSupplyCollector : public Collector {
 public:
  explicit PowerSupplyCollector(const HostPaths& paths) : paths_(paths) {}
  Families Collect() override { return PowerSupplyFamilies(ReadPowerSupplies(paths_)); }

 private:
  HostPaths paths_;
};

}  // namespace silicon
