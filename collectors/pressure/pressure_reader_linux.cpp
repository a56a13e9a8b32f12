#include <vector>

#include "collectors/pressure/pressure_collector.h"
#include "core/kept_open_file.h"

namespace silicon {

struct PressureReader::Platform {
  std::vector<std::pair<std::string, KeptOpenFile>> files;
};

PressureReader::PressureReader(const HostPaths& paths) : platform_(new Platform) {
  for (const char* resource : {"cpu", "memory", "io"}) {
    platform_->files.emplace_back(resource, KeptOpenFile(paths.procfs / "pressure" / resource, ReadEnd::kAtShortRead));
  }
}

PressureReader::~PressureReader() = default;

std::map<std::string, PsiStats> PressureReader::Read() {
  std::map<std::string, PsiStats> by_resource;
  // Missing on kernels before 4.20 or without CONFIG_PSI; unreadable (EOPNOTSUPP) when booted psi=0.
  for (auto& [resource, file] : platform_->files) {
    if (const auto text = file.Read()) {
      if (auto stats = ParsePsi(*text)) by_resource[resource] = *stats;
    }
  }
  return by_resource;
}

}  // namespace silicon
