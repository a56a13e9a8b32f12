#include "collectors/memory/memory_collector.h"

namespace silicon {

// Placeholder until the macOS readers issue: the Mach/sysctl reader and its converter land there.
// It reports "no data" (not a failure) so a Mac build serves every other collector meanwhile.
struct MemoryReader::Platform {};

MemoryReader::MemoryReader(const HostPaths&) : platform_(new Platform) {}

MemoryReader::~MemoryReader() = default;

MemorySample MemoryReader::Read() { throw NoDataError("the macOS memory reader is not written yet"); }

}  // namespace silicon
