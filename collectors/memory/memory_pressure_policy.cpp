#include "collectors/memory/memory_pressure_policy.h"

namespace silicon {

std::optional<int> MemoryPressureLevel(const MemorySample& sample, const MemoryPressureOptions& options) {
  if (sample.kernel_pressure_level) {
    // xnu's kern.memorystatus_vm_pressure_level: kVMPressureNormal 1, Warning 2, Critical 4.
    switch (*sample.kernel_pressure_level) {
      case 1: return 0;
      case 2: return 1;
      case 4: return 2;
      default: return std::nullopt;  // a value xnu does not define: better no series than a wrong one
    }
  }
  if (!sample.memory_psi) return std::nullopt;
  const auto& psi = *sample.memory_psi;
  if (psi.full && psi.full->avg10 >= options.critical_full_percent) return 2;
  if (psi.some && psi.some->avg10 >= options.warning_some_percent) return 1;
  return 0;
}

}  // namespace silicon
