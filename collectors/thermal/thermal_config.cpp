#include "collectors/thermal/thermal_config.h"

#include "collectors/thermal/thermal_collector.h"

namespace silicon {

void ThermalConfig::AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) {
  handlers["fair_margin_celsius"] = walk.NumberInto(options.fair_margin_celsius, &CheckMargin);
  handlers["fair_celsius"] = walk.NumberInto(options.fair_celsius, &CheckCelsius);
  handlers["serious_celsius"] = walk.NumberInto(options.serious_celsius, &CheckCelsius);
  handlers["critical_celsius"] = walk.NumberInto(options.critical_celsius, &CheckCelsius);
}

std::optional<std::string> ThermalConfig::CheckOptions() const {
  const std::optional<double> levels[] = {options.fair_celsius, options.serious_celsius, options.critical_celsius};
  std::optional<double> previous;
  for (const auto& level : levels) {
    if (!level) continue;
    if (previous && *level <= *previous) return "fair_celsius < serious_celsius < critical_celsius must hold";
    previous = level;
  }
  return std::nullopt;
}

std::unique_ptr<Collector> ThermalConfig::Create(const HostPaths& paths) const {
  return std::make_unique<ThermalCollector>(paths, options);
}

std::optional<std::string> CheckCelsius(double value) {
  if (!(value > 0 && value <= 200)) return "must be a temperature above 0 and at most 200 (degrees Celsius)";
  return std::nullopt;
}

std::optional<std::string> CheckMargin(double value) {
  if (!(value >= 0 && value <= 100)) return "must be between 0 and 100 (degrees Celsius)";
  return std::nullopt;
}

}  // namespace silicon
