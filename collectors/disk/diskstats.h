#pragma once

#include <string_view>
#include <vector>

#include "collectors/disk/disk_sample.h"

namespace silicon {

/// Parses /proc/diskstats (Documentation/admin-guide/iostats.rst): sectors are 512 bytes whatever
/// the device's own sector size, times are milliseconds. Lines too short or not numbers are skipped.
std::vector<DiskStats> ParseDiskstats(std::string_view text);

}  // namespace silicon
