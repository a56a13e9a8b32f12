#pragma once

#include <optional>
#include <string>
#include <vector>

namespace silicon {

/// One block device's I/O counters since boot, in base units.
struct DiskStats {
  std::string device;  // Linux: the kernel's name (nvme0n1, dm-0, md0); macOS: the BSD disk (disk0)
  double read_bytes = 0;
  double written_bytes = 0;
  double reads_completed = 0;
  double writes_completed = 0;
  double read_time_seconds = 0;
  double write_time_seconds = 0;
  std::optional<double> io_time_seconds;  // time with I/O in flight; Linux only
};

/// Every disk a platform reader found, before the device filter.
struct DiskSample {
  std::vector<DiskStats> disks;
};

}  // namespace silicon
