#include <sys/utsname.h>
#include <unistd.h>

#include <map>
#include <stdexcept>

#include "collectors/common/text_file.h"
#include "collectors/cpu/cpu_reader.h"
#include "collectors/cpu/proc_stat.h"

namespace silicon {
namespace {

double TicksPerSecond() {
  const long ticks = sysconf(_SC_CLK_TCK);
  return ticks > 0 ? static_cast<double>(ticks) : 100.0;  // USER_HZ is 100 on every Linux arch we run
}

// Intel hybrid parts (Alder Lake and later) publish a PMU per core type with the CPUs it covers.
std::map<int, std::string> HybridPmuCoreTypes(const HostPaths& paths) {
  std::map<int, std::string> types;
  const std::pair<const char*, const char*> pmus[] = {{"cpu_core", kPerformanceCore},
                                                      {"cpu_atom", kEfficiencyCore}};
  for (const auto& [pmu, type] : pmus) {
    const auto text = ReadTextFile(paths.sysfs / "devices" / pmu / "cpus");
    if (!text) continue;
    if (const auto cpus = ParseCpuList(*text)) {
      for (int cpu : *cpus) types[cpu] = type;
    }
  }
  return types;
}

std::filesystem::path CpuDir(const HostPaths& paths, int cpu) {
  return paths.sysfs / "devices/system/cpu" / ("cpu" + std::to_string(cpu));
}

// Arm big.LITTLE and Apple Silicon under Asahi Linux expose a relative capacity per CPU.
std::map<int, std::string> CapacityCoreTypes(const HostPaths& paths,
                                             const std::vector<CpuCoreSample>& cores) {
  std::map<int, long> capacity;
  for (const auto& core : cores) {
    if (const auto value = ReadInteger(CpuDir(paths, core.cpu) / "cpu_capacity")) {
      capacity[core.cpu] = static_cast<long>(*value);
    }
  }
  return CoreTypesFromCapacity(capacity);
}

}  // namespace

CpuSample ReadCpuSample(const HostPaths& paths) {
  const auto stat_path = paths.procfs / "stat";
  const auto stat = ReadTextFile(stat_path);
  if (!stat) throw std::runtime_error("cannot read " + stat_path.string());

  CpuSample sample;
  sample.cores = ParseProcStatCpus(*stat, TicksPerSecond());
  if (sample.cores.empty()) throw std::runtime_error("no per-CPU lines in " + stat_path.string());

  auto types = HybridPmuCoreTypes(paths);
  if (types.empty()) types = CapacityCoreTypes(paths, sample.cores);
  for (auto& core : sample.cores) {
    if (const auto it = types.find(core.cpu); it != types.end()) core.core_type = it->second;
    // scaling_cur_freq is in kHz and readable without root (cpuinfo_cur_freq is root-only).
    if (const auto khz = ReadInteger(CpuDir(paths, core.cpu) / "cpufreq/scaling_cur_freq");
        khz && *khz > 0) {
      core.frequency_hertz = static_cast<double>(*khz) * 1000.0;
    }
  }

  if (const auto cpuinfo = ReadTextFile(paths.procfs / "cpuinfo")) {
    sample.model = ParseCpuinfoModel(*cpuinfo);
  }
  if (sample.model.empty()) {
    // Arm kernels (Asahi on Apple Silicon among them) print no model name; the device tree has one.
    if (const auto model = ReadTextFile(paths.sysfs / "firmware/devicetree/base/model")) {
      sample.model = std::string(TrimSpace(model->substr(0, model->find('\0'))));
    }
  }
  utsname uts{};
  if (uname(&uts) == 0) sample.arch = uts.machine;
  if (const auto loadavg = ReadTextFile(paths.procfs / "loadavg")) {
    sample.load = ParseLoadavg(*loadavg);
  }
  return sample;
}

}  // namespace silicon
