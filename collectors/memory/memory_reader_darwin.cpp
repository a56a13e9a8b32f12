#include <mach/mach.h>
#include <sys/sysctl.h>

#include <stdexcept>

#include "collectors/memory/darwin_vm_stats.h"
#include "collectors/memory/memory_collector.h"

// Raw numbers out of Mach and sysctl; darwin_vm_stats.cpp turns them into the shared sample.
namespace silicon {
namespace {

template <typename T>
std::optional<T> Sysctl(const char* name) {
  T value{};
  size_t size = sizeof value;
  if (sysctlbyname(name, &value, &size, nullptr, 0) != 0 || size != sizeof value) return std::nullopt;
  return value;
}

}  // namespace

struct MemoryReader::Platform {
  mach_port_t host = mach_host_self();
  ~Platform() { mach_port_deallocate(mach_task_self(), host); }  // mach_host_self() hands out a send right
};

MemoryReader::MemoryReader(const HostPaths&) : platform_(new Platform) {}

MemoryReader::~MemoryReader() = default;

MemorySample MemoryReader::Read() {
  DarwinVmStats stats;
  vm_size_t page_size = 0;
  if (host_page_size(platform_->host, &page_size) != KERN_SUCCESS) throw std::runtime_error("host_page_size failed");
  stats.page_size = page_size;

  vm_statistics64_data_t vm{};
  mach_msg_type_number_t count = HOST_VM_INFO64_COUNT;
  if (host_statistics64(platform_->host, HOST_VM_INFO64, reinterpret_cast<host_info64_t>(&vm), &count) !=
      KERN_SUCCESS) {
    throw std::runtime_error("host_statistics64(HOST_VM_INFO64) failed");
  }
  stats.free_count = vm.free_count;
  stats.active_count = vm.active_count;
  stats.inactive_count = vm.inactive_count;
  stats.wire_count = vm.wire_count;
  stats.speculative_count = vm.speculative_count;
  stats.purgeable_count = vm.purgeable_count;
  stats.external_page_count = vm.external_page_count;
  stats.internal_page_count = vm.internal_page_count;
  stats.compressor_page_count = vm.compressor_page_count;
  stats.swapins = vm.swapins;
  stats.swapouts = vm.swapouts;

  stats.memsize = Sysctl<std::uint64_t>("hw.memsize").value_or(0);
  // Read the struct itself: the text `sysctl vm.swapusage` prints follows the locale.
  if (const auto swap = Sysctl<xsw_usage>("vm.swapusage")) {
    stats.swap_total_bytes = swap->xsu_total;
    stats.swap_used_bytes = swap->xsu_used;
  }
  stats.pressure_level = Sysctl<int>("kern.memorystatus_vm_pressure_level");
  return MemorySampleFromDarwin(stats);
}

}  // namespace silicon
