#include "collectors/filesystem/filesystem_collector.h"

#include "core/metric_builder.h"

namespace silicon {

Families FilesystemFamilies(const FilesystemSample& sample) {
  if (sample.filesystems.empty()) throw NoDataError("no mounted file systems left after the exclude patterns");
  auto size = GaugeFamily("silicon_filesystem_size_bytes", "Size of the file system.");
  auto free = GaugeFamily("silicon_filesystem_free_bytes", "Free space, the blocks reserved for root included.");
  auto avail = GaugeFamily("silicon_filesystem_avail_bytes", "Space an unprivileged user can still write.");
  auto files = GaugeFamily("silicon_filesystem_files", "Inodes (file slots) in total.");
  auto files_free = GaugeFamily("silicon_filesystem_files_free", "Inodes still free.");
  auto readonly = GaugeFamily("silicon_filesystem_readonly", "1 when the file system is mounted read-only.");
  auto device_error =
      GaugeFamily("silicon_filesystem_device_error",
                  "1 when its stat failed or timed out (it is not asked again until that call returns).");
  for (const auto& fs : sample.filesystems) {
    const std::vector<Label> labels = {{"device", fs.device}, {"fstype", fs.fstype}, {"mountpoint", fs.mountpoint}};
    if (fs.usage) {
      AddSample(size, fs.usage->size_bytes, labels);
      AddSample(free, fs.usage->free_bytes, labels);
      AddSample(avail, fs.usage->avail_bytes, labels);
      AddSample(files, fs.usage->files, labels);
      AddSample(files_free, fs.usage->files_free, labels);
    }
    AddSample(readonly, fs.readonly ? 1 : 0, labels);
    AddSample(device_error, fs.device_error ? 1 : 0, labels);
  }
  Families out;
  for (auto* family : {&size, &free, &avail, &files, &files_free, &readonly, &device_error}) {
    AppendIfNotEmpty(out, std::move(*family));
  }
  return out;
}

}  // namespace silicon
