#include <libproc.h>
#include <mach/mach.h>
#include <sys/resource.h>
#include <sys/sysctl.h>
#include <unistd.h>

#include <vector>

#include "exporter/process_sample.h"

namespace silicon {

struct ProcessReader::Platform {};

ProcessReader::ProcessReader() : platform_(new Platform) {}

ProcessReader::~ProcessReader() = default;

ProcessSample ProcessReader::Read() {
  ProcessSample sample;
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    sample.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }

  mach_task_basic_info_data_t info{};
  mach_msg_type_number_t count = MACH_TASK_BASIC_INFO_COUNT;
  if (task_info(mach_task_self(), MACH_TASK_BASIC_INFO, reinterpret_cast<task_info_t>(&info), &count) ==
      KERN_SUCCESS) {
    sample.resident_memory_bytes = static_cast<double>(info.resident_size);
    sample.virtual_memory_bytes = static_cast<double>(info.virtual_size);
  }

  // proc_pidinfo(PROC_PIDLISTFDS) with no buffer answers the size the fd list needs.
  const int bytes = proc_pidinfo(getpid(), PROC_PIDLISTFDS, 0, nullptr, 0);
  if (bytes > 0) {
    std::vector<proc_fdinfo> fds(static_cast<std::size_t>(bytes) / sizeof(proc_fdinfo));
    const int used = proc_pidinfo(getpid(), PROC_PIDLISTFDS, 0, fds.data(), bytes);
    if (used >= 0) sample.open_fds = static_cast<double>(static_cast<std::size_t>(used) / sizeof(proc_fdinfo));
  }

  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) sample.max_fds = static_cast<double>(limit.rlim_cur);

  int mib[4] = {CTL_KERN, KERN_PROC, KERN_PROC_PID, getpid()};
  kinfo_proc proc{};
  size_t size = sizeof proc;
  if (sysctl(mib, 4, &proc, &size, nullptr, 0) == 0) {
    const auto& start = proc.kp_proc.p_starttime;
    sample.start_time_seconds = static_cast<double>(start.tv_sec) + static_cast<double>(start.tv_usec) / 1e6;
  }
  return sample;
}

}  // namespace silicon
