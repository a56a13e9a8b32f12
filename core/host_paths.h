#pragma once

#include <filesystem>

namespace silicon {

/// Where the Linux readers find procfs, sysfs and the root file system; tests point them at fixtures.
struct HostPaths {
  std::filesystem::path procfs = "/proc";
  std::filesystem::path sysfs = "/sys";
  std::filesystem::path rootfs = "/";
};

}  // namespace silicon
