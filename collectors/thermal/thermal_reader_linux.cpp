#include <algorithm>
#include <filesystem>
#include <map>

#include "core/directory.h"
#include "core/text_file.h"
#include "collectors/thermal/thermal_collector.h"

namespace silicon {
namespace {

namespace fs = std::filesystem;

// Drop only what no working sensor can read: below absolute zero, or above 200 °C, where silicon
// has long stopped working and what a sensor reports is a fault sentinel (e.g. 255, 0x7fff).
constexpr double kAbsoluteZeroCelsius = -273.15;
constexpr double kImpossiblyHotCelsius = 200;

bool Plausible(double celsius) { return celsius >= kAbsoluteZeroCelsius && celsius <= kImpossiblyHotCelsius; }

// A trip or limit of 0 or below is firmware saying "none" rather than a real limit.
bool PlausibleLimit(double celsius) { return celsius > 0 && celsius <= kImpossiblyHotCelsius; }

std::optional<double> ReadMillidegrees(const fs::path& path) {
  const auto value = ReadInteger(path);
  if (!value) return std::nullopt;
  return static_cast<double>(*value) / 1000.0;
}

std::string ReadName(const fs::path& path, std::string fallback) {
  const auto text = ReadTextFile(path, 256);
  if (!text) return fallback;
  const auto name = TrimSpace(*text);
  return name.empty() ? fallback : std::string(name);
}

// Entries of dir whose names start with prefix, sorted so the exposition order is stable.
std::vector<fs::path> ListSorted(const fs::path& dir, std::string_view prefix) {
  std::vector<fs::path> entries;
  for (const auto& name : ListNames(dir, prefix)) entries.push_back(dir / name);
  return entries;
}

void MinInto(std::optional<double>& slot, double value) { slot = slot ? std::min(*slot, value) : value; }

void ReadThermalZones(const HostPaths& paths, ThermalSample& sample) {
  for (const auto& zone : ListSorted(paths.sysfs / "class/thermal", "thermal_zone")) {
    // A disabled zone (or one of a device going to sleep) fails the read with ENODATA: skip it.
    const auto celsius = ReadMillidegrees(zone / "temp");
    if (!celsius || !Plausible(*celsius)) continue;
    TemperatureSensor sensor{ReadName(zone / "type", "unknown"), zone.filename().string(), *celsius, {}, {}};
    for (int trip = 0; trip < 64; ++trip) {
      const auto prefix = "trip_point_" + std::to_string(trip);
      const auto type = ReadTextFile(zone / (prefix + "_type"), 64);
      if (!type) break;
      const auto limit = ReadMillidegrees(zone / (prefix + "_temp"));
      if (!limit || !PlausibleLimit(*limit)) continue;
      const auto kind = TrimSpace(*type);
      if (kind == "passive") MinInto(sensor.serious_celsius, *limit);
      if (kind == "hot" || kind == "critical") MinInto(sensor.critical_celsius, *limit);
    }
    sample.temperatures.push_back(std::move(sensor));
  }
}

// hwmon chip names repeat (one "nvme" per drive): those get the device's name appended.
std::map<fs::path, std::string> HwmonChipNames(const std::vector<fs::path>& hwmons) {
  std::map<std::string, int> seen;
  std::map<fs::path, std::string> names;
  for (const auto& hwmon : hwmons) names[hwmon] = ReadName(hwmon / "name", hwmon.filename().string());
  for (const auto& [hwmon, name] : names) ++seen[name];
  for (auto& [hwmon, name] : names) {
    if (seen[name] < 2) continue;
    std::error_code error;
    const auto device = fs::read_symlink(hwmon / "device", error);
    // Appended piecewise: `"_" + string` trips a GCC 12 -Wrestrict false positive at -O3.
    name.append(1, '_').append(error ? hwmon.filename().string() : device.filename().string());
  }
  return names;
}

// Numbers N of the "<kind>N_input" files in an hwmon folder (temp1_input, fan2_input...), sorted.
std::vector<int> InputNumbers(const fs::path& hwmon, std::string_view kind) {
  std::vector<int> numbers;
  for (const auto& name : ListNames(hwmon, kind)) {
    if (!name.ends_with("_input")) continue;
    const auto number = ParseInteger(std::string_view(name).substr(kind.size(), name.size() - kind.size() - 6));
    if (number && *number > 0 && *number < 1000) numbers.push_back(static_cast<int>(*number));
  }
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

void ReadHwmon(const HostPaths& paths, ThermalSample& sample) {
  const auto hwmons = ListSorted(paths.sysfs / "class/hwmon", "hwmon");
  const auto chips = HwmonChipNames(hwmons);
  for (const auto& hwmon : hwmons) {
    const auto& chip = chips.at(hwmon);
    for (const int n : InputNumbers(hwmon, "temp")) {
      const auto base = "temp" + std::to_string(n);
      const auto celsius = ReadMillidegrees(hwmon / (base + "_input"));
      if (!celsius || !Plausible(*celsius)) continue;  // vanished, EIO from a sleeping device, or a sentinel
      TemperatureSensor sensor{chip, ReadName(hwmon / (base + "_label"), base), *celsius, {}, {}};
      if (const auto max = ReadMillidegrees(hwmon / (base + "_max")); max && PlausibleLimit(*max)) {
        sensor.serious_celsius = *max;
      }
      if (const auto crit = ReadMillidegrees(hwmon / (base + "_crit")); crit && PlausibleLimit(*crit)) {
        sensor.critical_celsius = *crit;
      }
      sample.temperatures.push_back(std::move(sensor));
    }
    for (const int n : InputNumbers(hwmon, "fan")) {
      const auto base = "fan" + std::to_string(n);
      const auto rpm = ReadInteger(hwmon / (base + "_input"));
      if (!rpm || *rpm < 0) continue;
      sample.fans.push_back({chip, ReadName(hwmon / (base + "_label"), base), static_cast<double>(*rpm)});
    }
  }
}

}  // namespace

struct ThermalReader::Platform {
  HostPaths paths;
};

ThermalReader::ThermalReader(const HostPaths& paths) : platform_(new Platform{paths}) {}

ThermalReader::~ThermalReader() = default;

// Zones and hwmon chips are listed afresh on every read: they come and go (hotplug, suspend).
ThermalSample ThermalReader::Read() {
  ThermalSample sample;
  ReadThermalZones(platform_->paths, sample);
  ReadHwmon(platform_->paths, sample);
  return sample;
}

}  // namespace silicon
