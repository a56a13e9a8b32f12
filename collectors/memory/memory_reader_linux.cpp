#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "collectors/common/text_file.h"
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
  std::error_code error;
  for (std::filesystem::directory_iterator it(paths.sysfs / "block", error), end; !error && it != end;
       it.increment(error)) {
    if (!it->path().filename().string().starts_with("zram")) continue;
    const auto mm_stat = ReadTextFile(it->path() / "mm_stat");
    if (!mm_stat) continue;  // a zram device being reset right now
    if (const auto used = ParseZramMemUsed(*mm_stat)) total = total.value_or(0) + *used;
  }
  return total;
}

}  // namespace

MemorySample ReadMemorySample(const HostPaths& paths) {
  const auto meminfo_path = paths.procfs / "meminfo";
  const auto text = ReadTextFile(meminfo_path);
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

  if (const auto vmstat_text = ReadTextFile(paths.procfs / "vmstat")) {
    // pswpin/pswpout count pages moved to and from swap; pgpgin/pgpgout would include file I/O.
    const auto vmstat = ParseVmstat(*vmstat_text);
    const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
    if (const auto in = Field(vmstat, "pswpin")) sample.swap_in_bytes = *in * page;
    if (const auto out = Field(vmstat, "pswpout")) sample.swap_out_bytes = *out * page;
  }
  if (const auto psi = ReadTextFile(paths.procfs / "pressure/memory")) sample.memory_psi = ParsePsi(*psi);
  return sample;
}

}  // namespace silicon
