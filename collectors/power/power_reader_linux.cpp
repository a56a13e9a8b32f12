#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <map>

#include "collectors/power/energy_counter.h"
#include "collectors/power/power_collector.h"
#include "core/directory.h"
#include "core/log.h"
#include "core/text_file.h"

// RAPL energy from the powercap class: /sys/class/powercap/intel-rapl:N[:M] (AMD's zones carry the
// same prefix under the intel_rapl driver; amd-rapl:N where a kernel names them so). The
// intel-rapl-mmio zones repeat the package counter through another interface: left out, or the
// package would count twice.
namespace silicon {
namespace {

enum class Readable { kYes, kDenied, kNo };

/// The integer in a sysfs attribute, telling "root only" apart from missing or malformed.
Readable ReadCounter(const std::filesystem::path& path, std::uint64_t& value) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == EACCES || errno == EPERM ? Readable::kDenied : Readable::kNo;
  const auto text = ReadFromStart(fd, 64, ReadEnd::kAtShortRead);
  close(fd);
  const auto parsed = text ? ParseInteger(*text) : std::nullopt;
  if (!parsed || *parsed < 0) return Readable::kNo;
  value = static_cast<std::uint64_t>(*parsed);
  return Readable::kYes;
}

bool IsRaplZone(const std::string& name) { return name.starts_with("intel-rapl:") || name.starts_with("amd-rapl:"); }

}  // namespace

struct PowerReader::Platform {
  std::filesystem::path powercap;
  std::map<std::string, EnergyCounter64> counters;  // by zone, kept across scrapes for the wraps
  bool told_denied = false;
};

PowerReader::PowerReader(const HostPaths& paths, const PowerOptions&)
    : platform_(new Platform{paths.sysfs / "class" / "powercap", {}, false}) {}

PowerReader::~PowerReader() = default;

PowerSample PowerReader::Read() {
  PowerSample sample;
  int denied = 0;
  for (const auto& zone : ListNames(platform_->powercap)) {
    if (!IsRaplZone(zone)) continue;
    const auto dir = platform_->powercap / zone;
    std::uint64_t microjoules = 0;
    const Readable readable = ReadCounter(dir / "energy_uj", microjoules);
    if (readable == Readable::kDenied) ++denied;
    if (readable != Readable::kYes) continue;
    const auto name_file = ReadTextFile(dir / "name", 256);
    const std::string_view name = name_file ? TrimSpace(*name_file) : std::string_view();
    std::uint64_t range = 0;
    const bool has_range = ReadCounter(dir / "max_energy_range_uj", range) == Readable::kYes;
    const double joules =
        platform_->counters[zone].Update(microjoules, has_range ? std::optional(range) : std::nullopt);
    sample.energy.push_back({name.empty() ? zone : std::string(name), zone, joules});  // no name: the zone's
  }
  if (sample.energy.empty() && denied > 0) {
    // Since Linux 5.10 energy_uj is 0400 (power side channels, CVE-2020-8694).
    const std::string why = "RAPL energy_uj is readable by root only (Linux 5.10 and later); run as root or "
                            "grant read access to /sys/class/powercap/*/energy_uj";
    if (!platform_->told_denied) log::Warn("energy counters unreadable", {{"collector", "power"}, {"err", why}});
    platform_->told_denied = true;
    throw NoDataError(why);
  }
  return sample;
}

}  // namespace silicon
