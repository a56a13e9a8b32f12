#pragma once

#include <cstddef>
#include <cstdint>

namespace silicon {

/// How many connections fit under a descriptor limit when `reserve` descriptors stay free for
/// everything else (collectors' files, the listener, logs): at most `requested`, at least 8.
std::size_t ConnectionsWithin(std::size_t requested, std::uint64_t descriptor_limit, std::size_t reserve);

/// Raises this process's soft RLIMIT_NOFILE to its hard limit, as Go's runtime does for
/// node_exporter, and returns the soft limit in force afterwards.
std::uint64_t RaiseDescriptorLimit();

}  // namespace silicon
