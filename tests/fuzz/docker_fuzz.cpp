// libFuzzer target: Docker Engine API JSON and the cgroup/procfs text a container exposes.
// Malformed JSON must end in DockerApiError, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "collectors/docker/cgroup_stats.h"
#include "collectors/docker/docker_api.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)silicon::ParseContainerList(text);
  } catch (const silicon::DockerApiError&) {
  }
  try {
    (void)silicon::ParseStatsJson(text);
  } catch (const silicon::DockerApiError&) {
  }
  try {
    (void)silicon::ParseStartedAt(text);
  } catch (const silicon::DockerApiError&) {
  }
  (void)silicon::ParseRfc3339(text);
  (void)silicon::HealthFromStatus(text);
  (void)silicon::ParseContainerNetDev(text);
  (void)silicon::ParseKeyedValue(text, "total_inactive_file");
  (void)silicon::ParseBlkioServiceBytes(text);
  (void)silicon::ParseIoStat(text);
  (void)silicon::ParseMemoryLimit(text);
  return 0;
}
