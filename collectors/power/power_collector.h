#pragma once

#include <memory>

#include "collectors/power/power_sample.h"
#include "core/collector.h"
#include "core/host_paths.h"

namespace silicon {

/// How the power readers sample: IOReport on macOS runs in a background thread at this interval.
struct PowerOptions {
  double sample_interval_seconds = 1;
};

/// Reads energy and activity on this platform (power_reader_<platform>.cpp). The reader keeps
/// state across reads: running totals, counters that wrapped, the macOS sampler thread.
class PowerReader {
 public:
  PowerReader(const HostPaths& paths, const PowerOptions& options);
  ~PowerReader();
  PowerReader(const PowerReader&) = delete;
  PowerReader& operator=(const PowerReader&) = delete;

  PowerSample Read();

 private:
  struct Platform;
  std::unique_ptr<Platform> platform_;
};

/// Maps a power sample to families (pure); throws NoDataError when there is nothing at all.
Families PowerFamilies(const PowerSample& sample);

/// Energy per domain, CPU cluster and GPU activity and frequency, system power.
class PowerCollector : public Collector {
 public:
  PowerCollector(const HostPaths& paths, const PowerOptions& options) : reader_(paths, options) {}
  Families Collect() override { return PowerFamilies(reader_.Read()); }

 private:
  PowerReader reader_;
};

}  // namespace silicon
