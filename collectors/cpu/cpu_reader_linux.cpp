#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>

#include "collectors/cpu/cpu_reader.h"
#include "collectors/cpu/proc_stat.h"
#include "core/kept_open_file.h"
#include "core/text_file.h"

namespace silicon {
namespace {

namespace fs = std::filesystem;

double TicksPerSecond() {
  const long ticks = sysconf(_SC_CLK_TCK);
  return ticks > 0 ? static_cast<double>(ticks) : 100.0;  // USER_HZ is 100 on every Linux arch we run
}

// Intel hybrid parts (Alder Lake and later) publish a PMU per core type with the CPUs it covers.
std::map<int, std::string> HybridPmuCoreTypes(const HostPaths& paths) {
  std::map<int, std::string> types;
  const std::pair<const char*, const char*> pmus[] = {{"cpu_core", kPerformanceCore}, {"cpu_atom", kEfficiencyCore}};
  for (const auto& [pmu, type] : pmus) {
    const auto text = ReadTextFile(paths.sysfs / "devices" / pmu / "cpus");
    if (!text) continue;
    if (const auto cpus = ParseCpuList(*text)) {
      for (int cpu : *cpus) types[cpu] = type;
    }
  }
  return types;
}

fs::path CpuDir(const HostPaths& paths, int cpu) {
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

constexpr auto kTopologyMaxAge = std::chrono::minutes(1);

struct CpuTopology {
  std::vector<int> cpus;
  std::map<int, std::string> core_types;
  std::map<int, fs::path> frequency_files;
  std::string model;
  std::string arch;
};

CpuTopology ReadTopology(const HostPaths& paths, const std::vector<int>& cpus) {
  CpuTopology topology;
  topology.cpus = cpus;
  topology.core_types = HybridPmuCoreTypes(paths);
  if (topology.core_types.empty()) topology.core_types = CapacityCoreTypes(paths, cpus);
  for (int cpu : cpus) {
    // scaling_cur_freq (kHz) is readable without root; a driver without it may still have the
    // hardware's cpuinfo_cur_freq (root-only on most kernels). Only CPUs that have one get asked
    // each scrape: VMs and some servers have no cpufreq at all.
    for (const char* name : {"cpufreq/scaling_cur_freq", "cpufreq/cpuinfo_cur_freq"}) {
      auto file = CpuDir(paths, cpu) / name;
      if (access(file.c_str(), F_OK) != 0) continue;
      topology.frequency_files[cpu] = std::move(file);
      break;
    }
  }
  // Read once: on x86, reading /proc/cpuinfo makes the kernel sample every CPU's clock.
  if (const auto cpuinfo = ReadTextFile(paths.procfs / "cpuinfo")) {
    topology.model = ParseCpuinfoModel(*cpuinfo);
  }
  if (topology.model.empty()) {
    // Arm kernels (Asahi on Apple Silicon among them) print no model name; the device tree has one.
    if (const auto model = ReadTextFile(paths.sysfs / "firmware/devicetree/base/model")) {
      topology.model = std::string(TrimSpace(model->substr(0, model->find('\0'))));
    }
  }
  utsname uts{};
  if (uname(&uts) == 0) topology.arch = uts.machine;
  return topology;
}

}  // namespace

struct CpuReader::Platform {
  HostPaths paths;
  KeptOpenFile stat;
  KeptOpenFile loadavg;
  // Re-read when the set of CPUs changes (hotplug) and every kTopologyMaxAge, for a cpufreq
  // driver loaded after we started.
  std::optional<CpuTopology> topology;
  std::chrono::steady_clock::time_point topology_read_at;
};

CpuReader::CpuReader(const HostPaths& paths)
    : platform_(new Platform{paths,
                             KeptOpenFile(paths.procfs / "stat", ReadEnd::kAtShortRead),
                             KeptOpenFile(paths.procfs / "loadavg", ReadEnd::kAtShortRead),
                             std::nullopt,
                             {}}) {}

CpuReader::~CpuReader() = default;

CpuSample CpuReader::Read() {
  auto& p = *platform_;
  const auto stat = p.stat.Read();
  if (!stat) throw std::runtime_error("cannot read " + p.stat.path().string());

  CpuSample sample;
  sample.cores = ParseProcStatCpus(*stat, TicksPerSecond());
  if (sample.cores.empty()) throw std::runtime_error("no per-CPU lines in " + p.stat.path().string());

  std::vector<int> cpus;
  for (const auto& core : sample.cores) cpus.push_back(core.cpu);
  const auto now = std::chrono::steady_clock::now();
  if (!p.topology || p.topology->cpus != cpus || now - p.topology_read_at > kTopologyMaxAge) {
    p.topology = ReadTopology(p.paths, cpus);
    p.topology_read_at = now;
  }

  for (auto& core : sample.cores) {
    if (const auto it = p.topology->core_types.find(core.cpu); it != p.topology->core_types.end()) {
      core.core_type = it->second;
    }
    const auto file = p.topology->frequency_files.find(core.cpu);
    if (file == p.topology->frequency_files.end()) continue;
    if (const auto khz = ReadInteger(file->second); khz && *khz > 0) {
      core.frequency_hertz = static_cast<double>(*khz) * 1000.0;
    }
  }
  sample.model = p.topology->model;
  sample.arch = p.topology->arch;
  if (const auto loadavg = p.loadavg.Read()) sample.load = ParseLoadavg(*loadavg);
  return sample;
}

}  // namespace silicon
