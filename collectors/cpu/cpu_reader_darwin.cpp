#include <mach/mach.h>
#include <stdlib.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>
#include <limits.h>

#include <stdexcept>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/darwin_handles.h"
#include "collectors/cpu/cpu_reader.h"
#include "collectors/cpu/darwin_core_types.h"

// Per-core ticks from host_processor_info; core types from the IODeviceTree cluster layout and the
// hw.perflevel sysctls (darwin_core_types.h says how they combine); model from sysctl.
namespace silicon {
namespace {

std::string SysctlString(const char* name) {
  size_t size = 0;
  if (sysctlbyname(name, nullptr, &size, nullptr, 0) != 0 || size == 0) return {};
  std::string value(size, '\0');
  if (sysctlbyname(name, value.data(), &size, nullptr, 0) != 0) return {};
  value.resize(size > 0 ? size - 1 : 0);  // drop the terminating NUL
  return value;
}

std::optional<long long> SysctlInt(const std::string& name) {
  long long value = 0;
  size_t size = sizeof value;
  // sysctl integers are 32 or 64 bits wide; zero-initialised so a 32-bit answer reads right (little endian).
  if (sysctlbyname(name.c_str(), &value, &size, nullptr, 0) != 0) return std::nullopt;
  return value;
}

// IODeviceTree:/cpus/cpuN carry logical-cpu-id (a number) and cluster-type (one letter as data: "E",
// "P" on M1-M4; "M" and "P" on an M5 Max, where the letter names no fixed tier: see darwin_core_types.h).
std::map<int, char> DeviceTreeClusterTypes() {
  std::map<int, char> types;
  const IOObject cpus(IORegistryEntryFromPath(kIOMainPortDefault, "IODeviceTree:/cpus"));
  if (!cpus) return types;
  io_iterator_t raw_iterator = 0;
  if (IORegistryEntryGetChildIterator(cpus.get(), "IODeviceTree", &raw_iterator) != KERN_SUCCESS) return types;
  const IOObject iterator(raw_iterator);
  while (io_object_t raw_child = IOIteratorNext(iterator.get())) {
    const IOObject child(raw_child);
    const CFRef<CFTypeRef> id(IORegistryEntryCreateCFProperty(child.get(), CFSTR("logical-cpu-id"),
                                                              kCFAllocatorDefault, 0));
    const CFRef<CFTypeRef> cluster(IORegistryEntryCreateCFProperty(child.get(), CFSTR("cluster-type"),
                                                                   kCFAllocatorDefault, 0));
    const auto cpu = CFNumberValue(id.get());
    if (!cpu || !cluster || CFGetTypeID(cluster.get()) != CFDataGetTypeID()) continue;
    const auto data = static_cast<CFDataRef>(cluster.get());
    if (CFDataGetLength(data) < 1) continue;
    types[static_cast<int>(*cpu)] = static_cast<char>(CFDataGetBytePtr(data)[0]);
  }
  return types;
}

DarwinCpuTopology ReadDarwinTopology() {
  DarwinCpuTopology topology;
  topology.ncpu = static_cast<int>(SysctlInt("hw.ncpu").value_or(0));
  const auto levels = SysctlInt("hw.nperflevels").value_or(0);  // absent on Intel Macs
  for (long long level = 0; level < levels && level < 8; ++level) {
    const auto prefix = "hw.perflevel" + std::to_string(level) + ".";
    topology.perf_levels.push_back({SysctlString((prefix + "name").c_str()),
                                    static_cast<int>(SysctlInt(prefix + "logicalcpu").value_or(0)),
                                    static_cast<int>(SysctlInt(prefix + "cpusperl2").value_or(0))});
  }
  topology.cluster_type_by_cpu = DeviceTreeClusterTypes();
  return topology;
}

/// Owns the array host_processor_info hands out; it must go back with vm_deallocate.
class ProcessorInfo {
 public:
  ProcessorInfo() {
    if (host_processor_info(mach_host_self(), PROCESSOR_CPU_LOAD_INFO, &count_, &info_, &info_count_) !=
        KERN_SUCCESS) {
      throw std::runtime_error("host_processor_info(PROCESSOR_CPU_LOAD_INFO) failed");
    }
  }
  ~ProcessorInfo() {
    vm_deallocate(mach_task_self(), reinterpret_cast<vm_address_t>(info_),
                  static_cast<vm_size_t>(info_count_) * sizeof(integer_t));
  }
  ProcessorInfo(const ProcessorInfo&) = delete;
  ProcessorInfo& operator=(const ProcessorInfo&) = delete;

  natural_t count() const { return count_; }
  const processor_cpu_load_info_data_t& cpu(natural_t i) const {
    return reinterpret_cast<const processor_cpu_load_info_data_t*>(info_)[i];
  }

 private:
  natural_t count_ = 0;
  processor_info_array_t info_ = nullptr;
  mach_msg_type_number_t info_count_ = 0;
};

}  // namespace

struct CpuReader::Platform {
  std::vector<int> cpus;  // the set the cached model and core types belong to
  std::map<int, std::string> core_types;
  std::string model;
  std::string arch;
};

CpuReader::CpuReader(const HostPaths&) : platform_(new Platform) {}

CpuReader::~CpuReader() = default;

CpuSample CpuReader::Read() {
  const ProcessorInfo info;
  // cpu_ticks count in CLK_TCK units (<arm/limits.h>: __DARWIN_CLK_TCK, 100 per second).
  constexpr double ticks_per_second = CLK_TCK;
  CpuSample sample;
  std::vector<int> cpus;
  for (natural_t i = 0; i < info.count(); ++i) {
    const auto& ticks = info.cpu(i).cpu_ticks;
    CpuCoreSample core;
    core.cpu = static_cast<int>(i);
    core.modes = {{"user", ticks[CPU_STATE_USER] / ticks_per_second},
                  {"nice", ticks[CPU_STATE_NICE] / ticks_per_second},
                  {"system", ticks[CPU_STATE_SYSTEM] / ticks_per_second},
                  {"idle", ticks[CPU_STATE_IDLE] / ticks_per_second}};
    cpus.push_back(core.cpu);
    sample.cores.push_back(std::move(core));
  }
  auto& p = *platform_;
  if (p.cpus != cpus) {
    p.cpus = cpus;
    p.model = SysctlString("machdep.cpu.brand_string");
    p.core_types = DarwinCoreTypes(ReadDarwinTopology());
    utsname uts{};
    if (uname(&uts) == 0) p.arch = uts.machine;
  }
  for (auto& core : sample.cores) {
    if (const auto it = p.core_types.find(core.cpu); it != p.core_types.end()) core.core_type = it->second;
  }
  sample.model = p.model;
  sample.arch = p.arch;
  double load[3];
  if (getloadavg(load, 3) == 3) sample.load = LoadAverage{load[0], load[1], load[2]};
  return sample;
}

}  // namespace silicon
