#include "collectors/pressure/pressure_collector.h"

#include "core/metric_builder.h"

namespace silicon {

Families PressureFamilies(const std::map<std::string, PsiStats>& by_resource) {
  if (by_resource.empty()) throw NoDataError("no pressure stall information (kernel without PSI)");
  auto stall = CounterFamily("silicon_pressure_stall_seconds_total",
                             "Time tasks stalled waiting for a resource: some = at least one task, "
                             "full = every non-idle task at once.");
  for (const auto& [resource, stats] : by_resource) {
    if (stats.some) AddSample(stall, stats.some->total_seconds, {{"resource", resource}, {"kind", "some"}});
    if (stats.full) AddSample(stall, stats.full->total_seconds, {{"resource", resource}, {"kind", "full"}});
  }
  return {std::move(stall)};
}

}  // namespace silicon
