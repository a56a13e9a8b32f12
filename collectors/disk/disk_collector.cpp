#include "collectors/disk/disk_collector.h"

#include "core/metric_builder.h"

namespace silicon {

Families DiskFamilies(const DiskSample& sample, const NameFilter& filter) {
  if (sample.disks.empty()) throw NoDataError("no block devices");
  auto read_bytes = CounterFamily("silicon_disk_read_bytes_total", "Bytes read from the device.");
  auto written_bytes = CounterFamily("silicon_disk_written_bytes_total", "Bytes written to the device.");
  auto reads = CounterFamily("silicon_disk_reads_completed_total", "Reads completed.");
  auto writes = CounterFamily("silicon_disk_writes_completed_total", "Writes completed.");
  auto read_time = CounterFamily("silicon_disk_read_time_seconds_total", "Time spent on reads, summed over reads.");
  auto write_time = CounterFamily("silicon_disk_write_time_seconds_total", "Time spent on writes, summed over writes.");
  auto io_time = CounterFamily("silicon_disk_io_time_seconds_total", "Time the device had I/O in flight.");
  for (const auto& disk : sample.disks) {
    if (!filter.Keeps(disk.device)) continue;
    const std::vector<Label> labels = {{"device", disk.device}};
    AddSample(read_bytes, disk.read_bytes, labels);
    AddSample(written_bytes, disk.written_bytes, labels);
    AddSample(reads, disk.reads_completed, labels);
    AddSample(writes, disk.writes_completed, labels);
    AddSample(read_time, disk.read_time_seconds, labels);
    AddSample(write_time, disk.write_time_seconds, labels);
    if (disk.io_time_seconds) AddSample(io_time, *disk.io_time_seconds, labels);
  }
  Families out;
  for (auto* family : {&read_bytes, &written_bytes, &reads, &writes, &read_time, &write_time, &io_time}) {
    AppendIfNotEmpty(out, std::move(*family));
  }
  return out;
}

}  // namespace silicon
