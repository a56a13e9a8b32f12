#include "exporter/collector_table.h"

#include <array>

#include "collectors/cpu/cpu_collector.h"
#include "collectors/disk/disk_config.h"
#include "collectors/docker/docker_config.h"
#include "collectors/filesystem/filesystem_config.h"
#include "collectors/gpu/gpu_collector.h"
#include "collectors/memory/memory_config.h"
#include "collectors/network/network_config.h"
#include "collectors/power/power_config.h"
#include "collectors/power_supply/power_supply_collector.h"
#include "collectors/pressure/pressure_collector.h"
#include "collectors/thermal/thermal_config.h"
#include "exporter/settings.h"

namespace silicon {
namespace {

template <typename Config>
std::unique_ptr<CollectorConfig> Default() {
  return std::make_unique<Config>();
}

// One row per collector; its config class owns its options (docs/adding-a-collector.md).
constexpr std::array kCollectors = {
    CollectorEntry{"cpu", true, "per-core CPU time by core type, frequency, load",
                   &Default<PathsOnlyConfig<CpuCollector>>},
    CollectorEntry{"memory", true, "unified memory, swap, memory pressure level", &Default<MemoryConfig>},
    CollectorEntry{"pressure", true, "pressure stall time for cpu, memory and io (Linux PSI)",
                   &Default<PathsOnlyConfig<PressureCollector>>},
    CollectorEntry{"thermal", true, "thermal state, temperatures, fans", &Default<ThermalConfig>},
    CollectorEntry{"disk", true, "disk I/O per block device", &Default<DiskConfig>},
    CollectorEntry{"filesystem", true, "size, free space and inodes per mounted file system", &Default<FilesystemConfig>},
    CollectorEntry{"network", true, "traffic, errors and drops per network interface", &Default<NetworkConfig>},
    CollectorEntry{"power", true, "energy per domain (Apple IOReport, Linux RAPL), CPU cluster and GPU frequency, system power",
                   &Default<PowerConfig>},
    CollectorEntry{"power_supply", true, "batteries (charge, health, cycles, time left) and AC adapters",
                   &Default<PathsOnlyConfig<PowerSupplyCollector>>},
    CollectorEntry{"gpu", true, "GPUs: NVIDIA (NVML), AMD and Intel (DRM sysfs)",
                   &Default<PathsOnlyConfig<GpuCollector>>},
    CollectorEntry{"docker", true, "per-container CPU, memory, network, block I/O (Docker Engine)",
                   &Default<DockerConfig>},
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

std::unique_ptr<Collector> CreateCollector(const CollectorEntry& entry, const Settings& settings) {
  const auto it = settings.collector_configs.find(std::string(entry.name));
  if (it != settings.collector_configs.end()) return it->second->Create(settings.paths);
  return entry.default_config()->Create(settings.paths);
}

}  // namespace silicon
