#pragma once

#include <optional>
#include <string>

#include "collectors/disk/disk_sample.h"

namespace silicon {

/// The raw "Statistics" dictionary of one IOBlockStorageDriver (IOBlockStorageDriver.h keys
/// "Bytes (Read)", "Operations (Read)", "Total Time (Read)" in nanoseconds, and their Write twins),
/// with the BSD name of the IOMedia below the driver.
struct BlockStorageStatistics {
  std::string bsd_name;  // "disk0"
  std::optional<long long> bytes_read, bytes_written;
  std::optional<long long> reads, writes;
  std::optional<long long> read_time_ns, write_time_ns;
};

/// The disk's counters in base units; nullopt for a driver without a BSD disk or without byte
/// counters (a driver whose media is gone), and for negative numbers no driver counts.
std::optional<DiskStats> DiskStatsFromBlockStorage(const BlockStorageStatistics& raw);

}  // namespace silicon
