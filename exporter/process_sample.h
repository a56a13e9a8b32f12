#pragma once

#include <optional>

namespace silicon {

/// The exporter's own resource use, for the standard process_* metrics.
struct ProcessSample {
  std::optional<double> cpu_seconds;
  std::optional<double> resident_memory_bytes;
  std::optional<double> virtual_memory_bytes;
  std::optional<double> open_fds;
  std::optional<double> max_fds;
  std::optional<double> start_time_seconds;  // since the Unix epoch
};

/// Reads the running process; one file per platform.
ProcessSample ReadProcessSample();

}  // namespace silicon
