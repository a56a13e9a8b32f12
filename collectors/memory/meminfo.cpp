#include "collectors/memory/meminfo.h"

#include <stdexcept>

#include "core/text_file.h"

namespace silicon {

std::optional<double> Meminfo::Get(std::string_view name) const {
  for (const auto& [field, bytes] : fields_) {
    if (field == name) return bytes;
  }
  return std::nullopt;
}

double Meminfo::at(std::string_view name) const {
  const auto bytes = Get(name);
  if (!bytes) throw std::out_of_range("no meminfo field " + std::string(name));
  return *bytes;
}

Meminfo ParseMeminfo(std::string_view text) {
  Meminfo fields;
  for (const auto line : SplitLines(text)) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    const auto parts = SplitFields(line.substr(colon + 1));
    if (parts.empty() || parts.size() > 2) continue;
    const auto value = ParseInteger(parts[0]);
    if (!value || *value < 0) continue;
    double bytes = static_cast<double>(*value);
    if (parts.size() == 2) {
      if (parts[1] != "kB") continue;  // the kernel prints kB (KiB) only; anything else is not ours to guess
      bytes *= 1024;
    }
    fields.Add(line.substr(0, colon), bytes);
  }
  return fields;
}

SwapPageCounts ParseSwapPageCounts(std::string_view vmstat) {
  SwapPageCounts counts;
  for (const auto line : SplitLines(vmstat)) {
    if (!line.starts_with("pswp")) continue;  // ~170 lines; only two matter
    const auto parts = SplitFields(line);
    if (parts.size() != 2) continue;
    const auto value = ParseInteger(parts[1]);
    if (!value || *value < 0) continue;
    if (parts[0] == "pswpin") counts.pages_in = static_cast<double>(*value);
    if (parts[0] == "pswpout") counts.pages_out = static_cast<double>(*value);
  }
  return counts;
}

std::optional<double> ParseZramMemUsed(std::string_view mm_stat) {
  // Documentation/admin-guide/blockdev/zram.rst: orig_data_size compr_data_size mem_used_total ...
  const auto parts = SplitFields(TrimSpace(mm_stat));
  if (parts.size() < 3) return std::nullopt;
  const auto value = ParseInteger(parts[2]);
  if (!value || *value < 0) return std::nullopt;
  return static_cast<double>(*value);
}

}  // namespace silicon
