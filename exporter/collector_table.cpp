#include "exporter/collector_table.h"

#include <array>

#include "collectors/cpu/cpu_collector.h"
#include "collectors/docker/docker_collector.h"
#include "collectors/gpu/gpu_collector.h"
#include "collectors/memory/memory_collector.h"
#include "collectors/pressure/pressure_collector.h"
#include "collectors/thermal/thermal_collector.h"
#include "exporter/settings.h"

namespace silicon {
namespace {

template <typename T>
std::unique_ptr<Collector> WithPaths(const Settings& settings) {
  return std::make_unique<T>(settings.paths);
}

std::unique_ptr<Collector> MakeMemory(const Settings& settings) {
  return std::make_unique<MemoryCollector>(settings.paths, settings.memory_pressure);
}

std::unique_ptr<Collector> MakeThermal(const Settings& settings) {
  return std::make_unique<ThermalCollector>(settings.paths, settings.thermal);
}

std::unique_ptr<Collector> MakeGpu(const Settings& settings) {
  return std::make_unique<GpuCollector>(MakeGpuBackends(settings.paths));
}

std::unique_ptr<Collector> MakeDocker(const Settings& settings) {
  return std::make_unique<DockerCollector>(settings.paths, settings.docker);
}

constexpr std::array kCollectors = {
    CollectorEntry{"cpu", true, "per-core CPU time by core type, frequency, load", &WithPaths<CpuCollector>},
    CollectorEntry{"memory", true, "unified memory, swap, memory pressure level", &MakeMemory},
    CollectorEntry{"pressure", true, "pressure stall time for cpu, memory and io (Linux PSI)",
                   &WithPaths<PressureCollector>},
    CollectorEntry{"thermal", true, "thermal state, temperatures, fans", &MakeThermal},
    CollectorEntry{"gpu", true, "GPUs: NVIDIA (NVML), AMD and Intel (DRM sysfs)", &MakeGpu},
    CollectorEntry{"docker", true, "per-container CPU, memory, network, block I/O (Docker Engine)", &MakeDocker},
};

}  // namespace

std::span<const CollectorEntry> BuiltinCollectors() { return kCollectors; }

const CollectorEntry* FindCollector(std::string_view name) {
  for (const auto& entry : kCollectors) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

bool IsEnabled(const CollectorEntry& entry, const Settings& settings) {
  const auto it = settings.collectors.find(std::string(entry.name));
  return it == settings.collectors.end() ? entry.enabled_by_default : it->second;
}

}  // namespace silicon
