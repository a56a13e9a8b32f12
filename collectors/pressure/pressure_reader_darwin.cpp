#include "collectors/pressure/pressure_collector.h"

namespace silicon {

// Pressure stall information is a Linux kernel feature; macOS reports memory pressure as a level
// (the memory collector's silicon_memory_pressure_level) and has no stall-time counters.
std::map<std::string, PsiStats> ReadPressure(const HostPaths&) { return {}; }

}  // namespace silicon
