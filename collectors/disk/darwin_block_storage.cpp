#include "collectors/disk/darwin_block_storage.h"

namespace silicon {

std::optional<DiskStats> DiskStatsFromBlockStorage(const BlockStorageStatistics& raw) {
  if (raw.bsd_name.empty() || !raw.bytes_read || !raw.bytes_written) return std::nullopt;
  const auto counter = [](const std::optional<long long>& value, double scale = 1) -> std::optional<double> {
    if (value && *value < 0) return std::nullopt;
    return static_cast<double>(value.value_or(0)) * scale;
  };
  const auto read_bytes = counter(raw.bytes_read), written_bytes = counter(raw.bytes_written);
  const auto reads = counter(raw.reads), writes = counter(raw.writes);
  const auto read_time = counter(raw.read_time_ns, 1e-9), write_time = counter(raw.write_time_ns, 1e-9);
  if (!read_bytes || !written_bytes || !reads || !writes || !read_time || !write_time) return std::nullopt;
  // No busy-time counter exists on macOS: io_time_seconds stays empty, and so does its series.
  return DiskStats{raw.bsd_name, *read_bytes, *written_bytes, *reads, *writes, *read_time, *write_time, std::nullopt};
}

}  // namespace silicon
