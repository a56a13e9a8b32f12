#include "collectors/cpu/proc_stat.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <set>
#include <stdexcept>
#include <string>

#include "core/text_file.h"

namespace silicon {
namespace {

// Column order of a cpuN line, from proc(5). guest and guest_nice are already inside user and nice.
constexpr std::array<const char*, 8> kModes = {"user", "nice",    "system", "idle",
                                               "iowait", "irq", "softirq", "steal"};
constexpr std::size_t kMinColumns = 4;  // user nice system idle: present on every kernel
// No real machine has this many CPUs; bounds what a corrupt file can make us allocate.
constexpr int kMaxCpuIndex = 1 << 16;

std::optional<unsigned long long> ParseCounter(std::string_view text) {
  unsigned long long value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

std::optional<int> ParseCpuIndex(std::string_view text) {
  int value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value < 0 || value > kMaxCpuIndex) {
    return std::nullopt;
  }
  return value;
}

std::optional<CpuCoreSample> ParseCpuLine(std::string_view line, double ticks_per_second) {
  const auto fields = SplitFields(line);
  if (fields.size() < 1 + kMinColumns) return std::nullopt;
  const auto cpu = ParseCpuIndex(fields[0].substr(3));
  if (!cpu) return std::nullopt;

  std::vector<double> seconds;
  for (std::size_t i = 1; i < fields.size(); ++i) {
    const auto ticks = ParseCounter(fields[i]);
    if (!ticks) return std::nullopt;
    seconds.push_back(static_cast<double>(*ticks) / ticks_per_second);
  }

  CpuCoreSample core;
  core.cpu = *cpu;
  for (std::size_t i = 0; i < kModes.size() && i < seconds.size(); ++i) {
    core.modes.push_back({kModes[i], seconds[i]});
  }
  if (seconds.size() > 8) core.guest_user_seconds = seconds[8];
  if (seconds.size() > 9) core.guest_nice_seconds = seconds[9];
  return core;
}

}  // namespace

std::vector<CpuCoreSample> ParseProcStatCpus(std::string_view text, double ticks_per_second) {
  std::vector<CpuCoreSample> cores;
  for (const auto line : SplitLines(text)) {
    // "cpu " (the aggregate) has no digit after the prefix; "cpuN" lines do.
    if (line.size() > 3 && line.substr(0, 3) == "cpu" && line[3] != ' ') {
      auto core = ParseCpuLine(line, ticks_per_second);
      // A CPU line that does not parse (a file cut mid-line, a corrupt copy) fails the read:
      // skipping it would report a machine with fewer CPUs as a success.
      if (!core) throw std::runtime_error("malformed CPU line in /proc/stat: '" + std::string(line.substr(0, 80)) + "'");
      // A CPU listed twice is a corrupt file too, and would give every series of that CPU twice.
      const auto same_cpu = [&](const CpuCoreSample& seen) { return seen.cpu == core->cpu; };
      if (std::any_of(cores.begin(), cores.end(), same_cpu)) {
        throw std::runtime_error("cpu" + std::to_string(core->cpu) + " listed twice in /proc/stat");
      }
      cores.push_back(std::move(*core));
    }
  }
  return cores;
}

std::optional<LoadAverage> ParseLoadavg(std::string_view text) {
  const auto fields = SplitFields(TrimSpace(text));
  if (fields.size() < 3) return std::nullopt;
  const auto one = ParseNumber(fields[0]);
  const auto five = ParseNumber(fields[1]);
  const auto fifteen = ParseNumber(fields[2]);
  if (!one || !five || !fifteen) return std::nullopt;
  return LoadAverage{*one, *five, *fifteen};
}

std::optional<std::vector<int>> ParseCpuList(std::string_view text) {
  text = TrimSpace(text);
  std::vector<int> cpus;
  if (text.empty()) return cpus;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    const auto part = text.substr(pos, comma - pos);
    pos = comma + 1;
    const auto dash = part.find('-');
    const auto first = ParseCpuIndex(part.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : ParseCpuIndex(part.substr(dash + 1));
    if (!first || !last || *last < *first || *last - *first > 4096) return std::nullopt;
    for (int cpu = *first; cpu <= *last; ++cpu) cpus.push_back(cpu);
  }
  return cpus;
}

std::string ParseCpuinfoModel(std::string_view text) {
  std::string fallback;
  for (const auto line : SplitLines(text)) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const auto key = TrimSpace(line.substr(0, colon));
    const auto value = std::string(TrimSpace(line.substr(colon + 1)));
    if (key == "model name") return value;
    if ((key == "Model" || key == "Hardware") && fallback.empty()) fallback = value;
  }
  return fallback;
}

std::map<int, std::string> CoreTypesFromCapacity(const std::map<int, long>& capacity_by_cpu) {
  std::set<long> classes;
  for (const auto& [cpu, capacity] : capacity_by_cpu) classes.insert(capacity);
  std::map<int, std::string> types;
  for (const auto& [cpu, capacity] : capacity_by_cpu) {
    if (classes.size() < 2) {
      types[cpu] = kUnknownCore;
    } else {
      types[cpu] = capacity == *classes.rbegin() ? kPerformanceCore : kEfficiencyCore;
    }
  }
  return types;
}

}  // namespace silicon
