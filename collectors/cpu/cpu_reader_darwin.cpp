#include <mach/mach.h>
#include <stdlib.h>
#include <sys/sysctl.h>
#include <sys/utsname.h>
#include <limits.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "collectors/cpu/cpu_reader.h"

// Per-core ticks and the model only. Core types (P/E) need the device-tree cluster layout and come
// with the macOS readers issue; until then every core is "unknown" rather than a guess.
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
  std::vector<int> cpus;  // the set the cached model belongs to
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
    utsname uts{};
    if (uname(&uts) == 0) p.arch = uts.machine;
  }
  sample.model = p.model;
  sample.arch = p.arch;
  double load[3];
  if (getloadavg(load, 3) == 3) sample.load = LoadAverage{load[0], load[1], load[2]};
  return sample;
}

}  // namespace silicon
