#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>

#include "collectors/thermal/thermal_collector.h"
#include "core/directory.h"
#include "core/kept_open_file.h"
#include "core/text_file.h"

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

// A sensor as listed: its names and limits, which drivers set once, and the input read on every
// scrape (kept open on sysfs, within kMaxKeptInputs).
struct TemperatureInput {
  TemperatureSensor sensor;
  KeptOpenFile input;
};

struct FanInput {
  FanSensor fan;
  KeptOpenFile input;
};

struct SensorList {
  std::vector<TemperatureInput> temperatures;
  std::vector<FanInput> fans;
};

// Descriptors the thermal collector may keep: a laptop has 10-20 inputs, a large server with
// coretemp per core a hundred or more, which then read with open and close as before.
constexpr std::size_t kMaxKeptInputs = 32;

KeptOpenFile InputFile(const SensorList& list, fs::path path) {
  const bool keep = list.temperatures.size() + list.fans.size() < kMaxKeptInputs;
  return KeptOpenFile(std::move(path), ReadEnd::kAtShortRead, keep);
}

void ListThermalZones(const HostPaths& paths, SensorList& list) {
  for (const auto& zone : ListSorted(paths.sysfs / "class/thermal", "thermal_zone")) {
    TemperatureSensor sensor{ReadName(zone / "type", "unknown"), zone.filename().string(), 0, {}, {}};
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
    auto input = InputFile(list, zone / "temp");
    list.temperatures.push_back({std::move(sensor), std::move(input)});
  }
}

// Where a chip's attributes live: hwmonN/ itself, or hwmonN/device/ for older drivers (applesmc on
// Intel Macs, some Super I/O chips) that register the hwmon class device without them.
fs::path AttributeFolder(const fs::path& hwmon) {
  std::error_code error;
  if (!fs::exists(hwmon / "name", error) && fs::exists(hwmon / "device/name", error)) return hwmon / "device";
  return hwmon;
}

// hwmon chip names repeat (one "nvme" per drive): those get the name of their device appended, or
// their hwmonN folder's where the device link says nothing that tells them apart ("..", ".").
std::map<fs::path, std::string> HwmonChipNames(const std::vector<fs::path>& hwmons) {
  std::map<std::string, int> seen;
  std::map<fs::path, std::string> names;
  for (const auto& hwmon : hwmons) names[hwmon] = ReadName(AttributeFolder(hwmon) / "name", hwmon.filename().string());
  for (const auto& [hwmon, name] : names) ++seen[name];
  std::map<fs::path, std::string> suffixes;
  std::map<std::string, int> suffixed;
  for (const auto& [hwmon, name] : names) {
    if (seen[name] < 2) continue;
    std::error_code error;
    auto device = fs::read_symlink(hwmon / "device", error).filename().string();
    if (error || device.empty() || device == "." || device == "..") device = hwmon.filename().string();
    suffixes[hwmon] = device;
    ++suffixed[name + "_" + device];
  }
  for (auto& [hwmon, name] : names) {
    const auto it = suffixes.find(hwmon);
    if (it == suffixes.end()) continue;
    // Two links naming the same device: their hwmonN folders are unique.
    const auto& suffix = suffixed[name + "_" + it->second] > 1 ? hwmon.filename().string() : it->second;
    // Appended piecewise: `"_" + string` trips a GCC 12 -Wrestrict false positive at -O3.
    name.append(1, '_').append(suffix);
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

// The sensor names of one chip's inputs: their labels, except that a label two inputs share gives
// way to the inputs' own names (temp1, temp2), so no two series of a chip are the same series.
std::map<int, std::string> InputNames(const fs::path& folder, std::string_view kind, const std::vector<int>& numbers) {
  std::map<int, std::string> names;
  std::map<std::string, int> uses;
  for (const int n : numbers) {
    const auto base = std::string(kind) + std::to_string(n);
    names[n] = ReadName(folder / (base + "_label"), base);
    ++uses[names[n]];
  }
  for (auto& [n, name] : names) {
    if (uses[name] > 1) name = std::string(kind) + std::to_string(n);
  }
  return names;
}

void ListHwmon(const HostPaths& paths, SensorList& list) {
  const auto hwmons = ListSorted(paths.sysfs / "class/hwmon", "hwmon");
  const auto chips = HwmonChipNames(hwmons);
  for (const auto& hwmon : hwmons) {
    const auto& chip = chips.at(hwmon);
    const auto folder = AttributeFolder(hwmon);
    const auto temps = InputNumbers(folder, "temp");
    const auto temp_names = InputNames(folder, "temp", temps);
    for (const int n : temps) {
      const auto base = "temp" + std::to_string(n);
      TemperatureSensor sensor{chip, temp_names.at(n), 0, {}, {}};
      if (const auto max = ReadMillidegrees(folder / (base + "_max")); max && PlausibleLimit(*max)) {
        sensor.serious_celsius = *max;
      }
      if (const auto crit = ReadMillidegrees(folder / (base + "_crit")); crit && PlausibleLimit(*crit)) {
        sensor.critical_celsius = *crit;
      }
      auto input = InputFile(list, folder / (base + "_input"));
      list.temperatures.push_back({std::move(sensor), std::move(input)});
    }
    const auto fans = InputNumbers(folder, "fan");
    const auto fan_names = InputNames(folder, "fan", fans);
    for (const int n : fans) {
      auto input = InputFile(list, folder / ("fan" + std::to_string(n) + "_input"));
      list.fans.push_back({{chip, fan_names.at(n), 0}, std::move(input)});
    }
  }
}

// The integer an input holds now; nullopt when it cannot be read or holds none. `gone` is set
// when the file itself has disappeared (its chip unplugged or its driver unloaded).
std::optional<std::int64_t> ReadInput(KeptOpenFile& input, bool& gone) {
  const auto text = input.Read(64);
  if (const auto value = text ? ParseInteger(*text) : std::nullopt) return value;
  std::error_code error;
  if (!fs::exists(input.path(), error)) gone = true;
  return std::nullopt;
}

}  // namespace

struct ThermalReader::Platform {
  HostPaths paths;
  std::chrono::milliseconds relist;
  SensorList sensors;
  std::optional<std::chrono::steady_clock::time_point> listed_at;
};

ThermalReader::ThermalReader(const HostPaths& paths, std::chrono::milliseconds relist)
    : platform_(new Platform{paths, relist, {}, std::nullopt}) {}

ThermalReader::~ThermalReader() = default;

// Zones and hwmon chips come and go (hotplug, suspend, a driver loaded), but seldom: they are
// listed again every relist interval, and at once after an input file disappeared. In between a
// scrape reads only the inputs (a laptop fixture: ~20 reads instead of ~330 system calls).
// A sensor whose input exists but does not read now (a disabled zone, a sleeping device) is left
// out of this sample only.
ThermalSample ThermalReader::Read() {
  auto& p = *platform_;
  const auto now = std::chrono::steady_clock::now();
  if (!p.listed_at || now - *p.listed_at >= p.relist) {
    p.sensors = {};
    ListThermalZones(p.paths, p.sensors);
    ListHwmon(p.paths, p.sensors);
    p.listed_at = now;
  }
  bool gone = false;
  ThermalSample sample;
  for (auto& [sensor, input] : p.sensors.temperatures) {
    const auto millidegrees = ReadInput(input, gone);
    if (!millidegrees) continue;
    const double celsius = static_cast<double>(*millidegrees) / 1000.0;
    if (!Plausible(celsius)) continue;  // a sentinel (255, 0x7fff) or a fault
    sample.temperatures.push_back(sensor);
    sample.temperatures.back().celsius = celsius;
  }
  for (auto& [fan, input] : p.sensors.fans) {
    const auto rpm = ReadInput(input, gone);
    if (!rpm || *rpm < 0) continue;
    sample.fans.push_back(fan);
    sample.fans.back().rpm = static_cast<double>(*rpm);
  }
  if (gone) p.listed_at.reset();
  return sample;
}

}  // namespace silicon
