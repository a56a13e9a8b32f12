#pragma once

#include <memory>
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

/// Reads the running process (process_reader_<platform>.cpp), keeping open what it can.
class ProcessReader {
 public:
  ProcessReader();
  ~ProcessReader();
  ProcessReader(const ProcessReader&) = delete;
  ProcessReader& operator=(const ProcessReader&) = delete;

  ProcessSample Read();

 private:
  struct Platform;
  std::unique_ptr<Platform> platform_;
};

}  // namespace silicon
