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
std::map<int, std::string> CapacityCoreTypes(const HostPaths& paths, const std::vector<int>& cpus) {
  std::map<int, long> capacity;
  for (int cpu : cpus) {
    if (const auto value = ReadInteger(CpuDir(paths, cpu) / "cpu_capacity")) {
      capacity[cpu] = static_cast<long>(*value);
    }
  }
  return CoreTypesFromCapacity(capacity);
}

}  // namespace

CpuReader::Topology CpuReader::ReadTopology(const std::vector<int>& cpus) const {
  Topology topology;
  topology.cpus = cpus;
  topology.core_types = HybridPmuCoreTypes(paths_);
  if (topology.core_types.empty()) topology.core_types = CapacityCoreTypes(paths_, cpus);
  for (int cpu : cpus) {
    // scaling_cur_freq is in kHz and readable without root (cpuinfo_cur_freq is root-only).
    topology.frequency_files[cpu] = CpuDir(paths_, cpu) / "cpufreq/scaling_cur_freq";
  }
  // Read once: on x86, reading /proc/cpuinfo makes the kernel sample every CPU's clock.
  if (const auto cpuinfo = ReadTextFile(paths_.procfs / "cpuinfo")) {
    topology.model = ParseCpuinfoModel(*cpuinfo);
  }
  if (topology.model.empty()) {
    // Arm kernels (Asahi on Apple Silicon among them) print no model name; the device tree has one.
    if (const auto model = ReadTextFile(paths_.sysfs / "firmware/devicetree/base/model")) {
      topology.model = std::string(TrimSpace(model->substr(0, model->find('\0'))));
    }
  }
  utsname uts{};
  if (uname(&uts) == 0) topology.arch = uts.machine;
  return topology;
}

CpuSample CpuReader::Read() {
  const auto stat_path = paths_.procfs / "stat";
  const auto stat = ReadTextFile(stat_path);
  if (!stat) throw std::runtime_error("cannot read " + stat_path.string());

  CpuSample sample;
  sample.cores = ParseProcStatCpus(*stat, TicksPerSecond());
  if (sample.cores.empty()) throw std::runtime_error("no per-CPU lines in " + stat_path.string());

  std::vector<int> cpus;
  for (const auto& core : sample.cores) cpus.push_back(core.cpu);
  if (!topology_ || topology_->cpus != cpus) topology_ = ReadTopology(cpus);  // CPU hotplug

  for (auto& core : sample.cores) {
    if (const auto it = topology_->core_types.find(core.cpu); it != topology_->core_types.end()) {
      core.core_type = it->second;
    }
    if (const auto khz = ReadInteger(topology_->frequency_files.at(core.cpu)); khz && *khz > 0) {
      core.frequency_hertz = static_cast<double>(*khz) * 1000.0;
    }
  }
  sample.model = topology_->model;
  sample.arch = topology_->arch;
  if (const auto loadavg = ReadTextFile(paths_.procfs / "loadavg")) {
    sample.load = ParseLoadavg(*loadavg);
  }
  return sample;
}

}  // namespace silicon
