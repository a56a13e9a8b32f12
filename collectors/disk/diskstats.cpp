#include "collectors/disk/diskstats.h"

#include <algorithm>

#include "core/text_file.h"

namespace silicon {
namespace {

// The kernel counts in 512-byte sectors (include/linux/types.h SECTOR_SHIFT 9), for every device.
constexpr double kSectorBytes = 512;
constexpr double kMillisecond = 1e-3;

// Field positions after "major minor name" (iostats.rst, fields 1-11; Linux 2.6+).
enum Field {
  kReads,
  kReadsMerged,
  kSectorsRead,
  kReadMs,
  kWrites,
  kWritesMerged,
  kSectorsWritten,
  kWriteMs,
  kInFlight,
  kIoMs,
  kWeightedIoMs,
  kFieldCount
};

}  // namespace

std::vector<DiskStats> ParseDiskstats(std::string_view text) {
  std::vector<DiskStats> disks;
  for (const auto line : SplitLines(text)) {
    const auto fields = SplitFields(line);
    if (fields.size() < 3 + kFieldCount) continue;
    double value[kFieldCount];
    bool numbers = true;
    for (int i = 0; i < kFieldCount && numbers; ++i) {
      const auto parsed = ParseNonNegative(fields[3 + static_cast<std::size_t>(i)]);
      numbers = parsed.has_value();
      value[i] = parsed.value_or(0);
    }
    // The kernel lists a device once; a repeated name (a corrupt or concatenated copy) would make
    // every series of that device twice, so its first line stands.
    if (!numbers || std::any_of(disks.begin(), disks.end(), [&](const DiskStats& d) { return d.device == fields[2]; })) {
      continue;
    }
    disks.push_back({std::string(fields[2]), value[kSectorsRead] * kSectorBytes, value[kSectorsWritten] * kSectorBytes,
                     value[kReads], value[kWrites], value[kReadMs] * kMillisecond, value[kWriteMs] * kMillisecond,
                     value[kIoMs] * kMillisecond});
  }
  return disks;
}

}  // namespace silicon
