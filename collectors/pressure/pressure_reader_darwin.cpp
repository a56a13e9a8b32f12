#include "collectors/pressure/pressure_collector.h"

namespace silicon {

// Pressure stall information is a Linux kernel feature; macOS reports memory pressure as a level
// (the memory collector's silicon_memory_pressure_level) and has no stall-time counters.
struct PressureReader::Platform {};

PressureReader::PressureReader(const HostPaths&) : platform_(new Platform) {}

PressureReader::~PressureReader() = default;

std::map<std::string, PsiStats> PressureReader::Read() { return {}; }

}  // namespace silicon
