#include <unistd.h>

#include <stdexcept>

#include "core/directory.h"
#include "core/kept_open_file.h"
#include "core/text_file.h"
#include "collectors/memory/meminfo.h"
#include "collectors/memory/memory_collector.h"

namespace silicon {
namespace {

std::optional<double> Field(const std::map<std::string, double>& fields, const char* name) {
  const auto it = fields.find(name);
  return it == fields.end() ? std::nullopt : std::optional<double>(it->second);
}

// zswap's pool (meminfo "Zswap", Linux 5.19+) plus what every zram device uses for its pages.
std::optional<double> CompressedBytes(const HostPaths& paths, const std::map<std::string, double>& meminfo) {
  std::optional<double> total = Field(meminfo, "Zswap");
  for (const auto& device : ListNames(paths.sysfs / "block", "zram")) {
    const auto mm_stat = ReadTextFile(paths.sysfs / "block" / device / "mm_stat");
    if (!mm_stat) continue;  // a zram device being reset right now
    if (const auto used = ParseZramMemUsed(*mm_stat)) total = total.value_or(0) + *used;
  }
  return total;
}

}  // namespace

struct MemoryReader::Platform {
  HostPaths paths;
  KeptOpenFile meminfo;
  KeptOpenFile vmstat;
  KeptOpenFile memory_psi;
};

MemoryReader::MemoryReader(const HostPaths& paths)
    : platform_(new Platform{paths, KeptOpenFile(paths.procfs / "meminfo"), KeptOpenFile(paths.procfs / "vmstat"),
                             KeptOpenFile(paths.procfs / "pressure/memory")}) {}

MemoryReader::~MemoryReader() = default;

MemorySample MemoryReader::Read() {
  auto& p = *platform_;
  const auto& paths = p.paths;
  const auto& meminfo_path = p.meminfo.path();
  const auto text = p.meminfo.Read();
  if (!text) throw std::runtime_error("cannot read " + meminfo_path.string());
  const auto meminfo = ParseMeminfo(*text);
  if (!Field(meminfo, "MemTotal")) throw std::runtime_error("no MemTotal in " + meminfo_path.string());

  MemorySample sample;
  sample.total_bytes = Field(meminfo, "MemTotal");
  sample.free_bytes = Field(meminfo, "MemFree");
  sample.available_bytes = Field(meminfo, "MemAvailable");  // Linux 3.14+
  const auto active_file = Field(meminfo, "Active(file)");
  const auto inactive_file = Field(meminfo, "Inactive(file)");
  if (active_file && inactive_file) sample.cached_bytes = *active_file + *inactive_file;
  sample.compressed_bytes = CompressedBytes(paths, meminfo);
  sample.swap_total_bytes = Field(meminfo, "SwapTotal");
  if (const auto swap_free = Field(meminfo, "SwapFree"); sample.swap_total_bytes && swap_free) {
    sample.swap_used_bytes = *sample.swap_total_bytes - *swap_free;
  }

  if (const auto vmstat_text = p.vmstat.Read()) {
    const auto swap = ParseSwapPageCounts(*vmstat_text);
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    if (swap.pages_in) sample.swap_in_bytes = *swap.pages_in * page;
    if (swap.pages_out) sample.swap_out_bytes = *swap.pages_out * page;
  }
  if (const auto psi = p.memory_psi.Read()) sample.memory_psi = ParsePsi(*psi);
  return sample;
}

}  // namespace silicon
