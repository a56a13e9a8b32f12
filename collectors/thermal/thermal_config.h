#pragma once

#include "collectors/thermal/thermal_state_policy.h"
#include "core/collector_config.h"

namespace silicon {

/// The thermal collector's options: collectors.thermal.{fair_margin_celsius, fair_celsius,
/// serious_celsius, critical_celsius}, the thresholds of the thermal-state policy.
class ThermalConfig final : public CopyableCollectorConfig<ThermalConfig> {
 public:
  ThermalOptions options;

  void AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) override;
  /// The thresholds that are set must rise from fair to serious to critical.
  std::optional<std::string> CheckOptions() const override;
  std::unique_ptr<Collector> Create(const HostPaths& paths) const override;
};

/// A temperature threshold: above 0 and at most 200 °C.
std::optional<std::string> CheckCelsius(double value);

/// The fair margin: 0 to 100 °C.
std::optional<std::string> CheckMargin(double value);

}  // namespace silicon
