// libFuzzer target: every /proc and /sys text parser on the same arbitrary bytes, and the
// collectors' mapping of what parsed to metric families, which must never repeat a series. Run
// with ASan+UBSan (tests/fuzz/run.sh); any crash, leak, sanitizer report or abort is a bug.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/collector.h"
#include "core/text_file.h"
#include "collectors/cpu/proc_stat.h"
#include "collectors/disk/diskstats.h"
#include "collectors/filesystem/mountinfo.h"
#include "collectors/memory/meminfo.h"
#include "collectors/power_supply/power_supply_uevent.h"
#include "core/name_filter.h"
#include "core/net_dev.h"
#include "core/psi.h"
#include "collectors/cpu/cpu_collector.h"
#include "collectors/disk/disk_collector.h"
#include "collectors/network/network_collector.h"
#include "tests/fuzz/unique_series.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  using silicon::fuzz::RequireUniqueSeries;
  try {
    silicon::CpuSample cpus;
    cpus.cores = silicon::ParseProcStatCpus(text, 100);
    cpus.load = silicon::ParseLoadavg(text);
    RequireUniqueSeries(silicon::CpuFamilies(cpus));
  } catch (const std::runtime_error&) {
    // A malformed CPU line is refused by design: the CPU collector fails that scrape.
  }
  static const silicon::NameFilter keep_all("");
  try {
    RequireUniqueSeries(silicon::DiskFamilies(silicon::DiskSample{silicon::ParseDiskstats(text)}, keep_all));
  } catch (const silicon::NoDataError&) {
    // Nothing that parsed as a disk: "no data", by design.
  }
  try {
    RequireUniqueSeries(silicon::NetworkFamilies(silicon::NetworkSample{silicon::ParseNetDev(text)}, keep_all));
  } catch (const silicon::NoDataError&) {
  }
  (void)silicon::ParsePowerSupplyUevent("BAT0", text);
  (void)silicon::ParseCpuList(text);
  (void)silicon::ParseCpuinfoModel(text);
  (void)silicon::ParseMeminfo(text);
  (void)silicon::ParseSwapPageCounts(text);
  (void)silicon::ParseZramMemUsed(text);
  (void)silicon::ParsePsi(text);
  (void)silicon::ParseMountinfo(text);
  // Names from a machine's files go through the exclude patterns: any bytes must be safe there.
  // Up to PATH_MAX, the longest name a machine gives (RE2 matches any length in linear time).
  static const silicon::NameFilter disks(R"(^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p|mmcblk\d+p)\d+$)");
  static const silicon::NameFilter mounts("^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+)($|/)");
  const std::string name(text.substr(0, 4096));
  (void)disks.Keeps(name);
  (void)mounts.Keeps(name);
  (void)silicon::ParseInteger(text);
  (void)silicon::ParseNumber(text);
  return 0;
}
