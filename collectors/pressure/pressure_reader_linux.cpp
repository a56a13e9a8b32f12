#include "collectors/common/text_file.h"
#include "collectors/pressure/pressure_collector.h"

namespace silicon {

std::map<std::string, PsiStats> ReadPressure(const HostPaths& paths) {
  std::map<std::string, PsiStats> by_resource;
  // Missing on kernels before 4.20 or without CONFIG_PSI; unreadable (EOPNOTSUPP) when booted psi=0.
  for (const char* resource : {"cpu", "memory", "io"}) {
    if (const auto text = ReadTextFile(paths.procfs / "pressure" / resource)) {
      if (auto stats = ParsePsi(*text)) by_resource[resource] = *stats;
    }
  }
  return by_resource;
}

}  // namespace silicon
