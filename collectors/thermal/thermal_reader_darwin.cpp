#include "collectors/thermal/thermal_collector.h"

namespace silicon {

// Placeholder until the macOS readers issue (NSProcessInfo.thermalState, the thermal pressure
// notify key, IOHID temperatures). "No data", so a Mac build serves every other collector meanwhile.
ThermalSample ReadThermalSample(const HostPaths&) {
  throw NoDataError("the macOS thermal reader is not written yet");
}

}  // namespace silicon
