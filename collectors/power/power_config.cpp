#include "collectors/power/power_config.h"

namespace silicon {
namespace {

std::optional<std::string> CheckSampleInterval(double seconds) {
  if (!(seconds >= 0.1 && seconds <= 60)) return "must be between 0.1 and 60 (seconds)";
  return std::nullopt;
}

}  // namespace

void PowerConfig::AddOptionHandlers(const ConfigWalker& walk, ConfigHandlers& handlers) {
  handlers["sample_interval_seconds"] = walk.NumberInto(options.sample_interval_seconds, &CheckSampleInterval);
}

std::unique_ptr<Collector> PowerConfig::Create(const HostPaths& paths) const {
  return std::make_unique<PowerCollector>(paths, options);
}

}  // namespace silicon
