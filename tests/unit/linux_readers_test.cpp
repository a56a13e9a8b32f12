// Linux readers on small sysfs/procfs trees made by the test: layouts real machines have that the
// shared fixture trees do not.
#include "tests/unit/catch.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

#include "collectors/cpu/cpu_reader.h"
#include "collectors/thermal/thermal_collector.h"

using namespace silicon;
namespace fs = std::filesystem;

namespace {

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// A procfs/sysfs tree of the test's own under the temporary folder, removed before and after
// (after also when a REQUIRE ends the test early).
struct ScratchTree {
  fs::path root;
  explicit ScratchTree(const std::string& name)
      : root(fs::temp_directory_path() / ("silicon-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(root);
  }
  ~ScratchTree() { fs::remove_all(root); }
  ScratchTree(const ScratchTree&) = delete;
  ScratchTree& operator=(const ScratchTree&) = delete;
  HostPaths paths() const { return HostPaths{root / "proc", root / "sys", root}; }
};

// A sysfs tree with the hwmon layouts that once went wrong, in a folder of its own.
struct OddHwmonTree : ScratchTree {
  OddHwmonTree() : ScratchTree("hwmon") {
    const auto hwmon = root / "sys/class/hwmon";
    // applesmc on an Intel Mac: name and inputs live in hwmon0/device/, not hwmon0/.
    Write(hwmon / "hwmon0/device/name", "applesmc\n");
    Write(hwmon / "hwmon0/device/temp1_input", "45000\n");
    Write(hwmon / "hwmon0/device/temp1_label", "TC0P\n");
    Write(hwmon / "hwmon0/device/fan1_input", "2160\n");
    // One chip whose driver gives two sensors the same label.
    Write(hwmon / "hwmon1/name", "nct6775\n");
    for (const char* n : {"1", "2", "3"}) {
      Write(hwmon / ("hwmon1/temp" + std::string(n) + "_input"), std::string(n) + "0000\n");
      Write(hwmon / ("hwmon1/temp" + std::string(n) + "_label"), n[0] == '3' ? "SYSTIN\n" : "AUXTIN\n");
    }
    // Two chips of one name whose device links end in "..": the suffix must still tell them apart.
    for (const char* n : {"2", "3"}) {
      Write(hwmon / ("hwmon" + std::string(n) + "/name") , "acpitz\n");
      Write(hwmon / ("hwmon" + std::string(n) + "/temp1_input"), "30000\n");
      fs::create_directory_symlink("..", hwmon / ("hwmon" + std::string(n) + "/device"));
    }
  }
};

}  // namespace

TEST_CASE("hwmon chips that keep their attributes in device/, repeated labels, '..' links", "[thermal][bad-input][linux]") {
  const OddHwmonTree tree;
  ThermalReader reader(tree.paths());
  const auto sample = reader.Read();
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& sensor : sample.temperatures) {
    // Every (chip, sensor) once: a repeated series would be dropped by Prometheus without a word.
    CHECK(seen.insert({sensor.chip, sensor.sensor}).second);
    CHECK(sensor.chip.find("..") == std::string::npos);
  }
  CHECK(seen.count({"applesmc", "TC0P"}) == 1);
  REQUIRE(sample.fans.size() == 1);
  CHECK(sample.fans[0].chip == "applesmc");
  CHECK(sample.fans[0].rpm == 2160);
  // The repeated label falls back to the tempN names; the unique one keeps its label.
  CHECK(seen.count({"nct6775", "temp1"}) == 1);
  CHECK(seen.count({"nct6775", "temp2"}) == 1);
  CHECK(seen.count({"nct6775", "SYSTIN"}) == 1);
  CHECK(sample.temperatures.size() == 6);
}

namespace {

const TemperatureSensor* FindSensor(const ThermalSample& sample, const std::string& chip, const std::string& name) {
  for (const auto& sensor : sample.temperatures) {
    if (sensor.chip == chip && sensor.sensor == name) return &sensor;
  }
  return nullptr;
}

}  // namespace

// Names, labels and limits are read when the sensors are listed (every relist interval, and at
// once when an input file is gone); inputs on every read. A laptop's 6 chips cost ~330 system
// calls a scrape when all of it was read every time.
TEST_CASE("thermal: inputs read every scrape, the sensor list every relist interval", "[thermal][linux]") {
  const ScratchTree tree("thermal-relist");
  const auto& root = tree.root;
  const auto hwmon = root / "sys/class/hwmon";
  Write(hwmon / "hwmon0/name", "coretemp\n");
  Write(hwmon / "hwmon0/temp1_input", "40000\n");
  Write(hwmon / "hwmon0/temp1_label", "Package id 0\n");
  Write(hwmon / "hwmon0/temp1_crit", "100000\n");
  Write(hwmon / "hwmon0/fan1_input", "1200\n");
  Write(root / "sys/class/thermal/thermal_zone0/type", "x86_pkg_temp\n");
  Write(root / "sys/class/thermal/thermal_zone0/temp", "41000\n");
  Write(root / "sys/class/thermal/thermal_zone0/trip_point_0_type", "passive\n");
  Write(root / "sys/class/thermal/thermal_zone0/trip_point_0_temp", "90000\n");
  const HostPaths paths = tree.paths();
  ThermalReader reader(paths, std::chrono::hours(1));

  auto sample = reader.Read();
  REQUIRE(sample.temperatures.size() == 2);
  REQUIRE(FindSensor(sample, "coretemp", "Package id 0"));
  CHECK(FindSensor(sample, "coretemp", "Package id 0")->critical_celsius == 100);
  CHECK(FindSensor(sample, "x86_pkg_temp", "thermal_zone0")->serious_celsius == 90);

  // New values are read; a new label or chip waits for the next listing.
  Write(hwmon / "hwmon0/temp1_input", "55000\n");
  Write(hwmon / "hwmon0/fan1_input", "2400\n");
  Write(root / "sys/class/thermal/thermal_zone0/temp", "56000\n");
  Write(hwmon / "hwmon0/temp1_label", "Package\n");
  Write(hwmon / "hwmon1/name", "nvme\n");
  Write(hwmon / "hwmon1/temp1_input", "35000\n");
  sample = reader.Read();
  REQUIRE(FindSensor(sample, "coretemp", "Package id 0"));
  CHECK(FindSensor(sample, "coretemp", "Package id 0")->celsius == 55);
  CHECK(FindSensor(sample, "x86_pkg_temp", "thermal_zone0")->celsius == 56);
  REQUIRE(sample.fans.size() == 1);
  CHECK(sample.fans[0].rpm == 2400);
  CHECK_FALSE(FindSensor(sample, "nvme", "temp1"));

  // A reader listing on every read sees both at once.
  ThermalReader relisting(paths, std::chrono::milliseconds(0));
  sample = relisting.Read();
  CHECK(FindSensor(sample, "coretemp", "Package"));
  CHECK(FindSensor(sample, "nvme", "temp1"));

  // A chip that goes away (hot-unplugged, driver unloaded) is dropped at once, and the list is
  // made again on the next read rather than an hour later.
  fs::remove_all(hwmon / "hwmon0");
  sample = reader.Read();
  CHECK_FALSE(FindSensor(sample, "coretemp", "Package id 0"));
  CHECK(sample.fans.empty());
  sample = reader.Read();
  CHECK(FindSensor(sample, "nvme", "temp1"));
  CHECK(FindSensor(sample, "x86_pkg_temp", "thermal_zone0"));
}

// A sensor that fails to read now (a Wi-Fi chip's hwmon while the interface is down answers
// ENODATA) is left out of this scrape without making every scrape list the sensors again.
TEST_CASE("thermal: an input that exists but fails to read is skipped, not relisted", "[thermal][linux]") {
  const ScratchTree tree("thermal-nodata");
  const auto hwmon = tree.root / "sys/class/hwmon";
  Write(hwmon / "hwmon0/name", "iwlwifi_1\n");
  Write(hwmon / "hwmon0/temp1_input", "\n");  // read but no number, as a failing read gives us
  Write(hwmon / "hwmon1/name", "acpitz\n");
  Write(hwmon / "hwmon1/temp1_input", "30000\n");
  ThermalReader reader(tree.paths(), std::chrono::hours(1));
  auto sample = reader.Read();
  REQUIRE(sample.temperatures.size() == 1);
  CHECK(sample.temperatures[0].chip == "acpitz");
  Write(hwmon / "hwmon2/name", "nvme\n");  // would appear only if the failure made it list again
  Write(hwmon / "hwmon2/temp1_input", "31000\n");
  Write(hwmon / "hwmon0/temp1_input", "45000\n");  // the interface is up again
  sample = reader.Read();
  CHECK(FindSensor(sample, "iwlwifi_1", "temp1"));
  CHECK_FALSE(FindSensor(sample, "nvme", "temp1"));
}

TEST_CASE("a CPU with only cpuinfo_cur_freq still has a frequency", "[cpu][linux]") {
  const ScratchTree tree("cpufreq");
  const auto& root = tree.root;
  Write(root / "proc/stat", "cpu  10 0 10 80\ncpu0 10 0 10 80\ncpu1 10 0 10 80\nintr 0\n");
  Write(root / "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_cur_freq", "2400000\n");  // kHz
  Write(root / "sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq", "1800000\n");
  Write(root / "sys/devices/system/cpu/cpu1/cpufreq/cpuinfo_cur_freq", "9999999\n");  // scaling_ wins
  CpuReader reader(tree.paths());
  const auto sample = reader.Read();
  REQUIRE(sample.cores.size() == 2);
  CHECK(sample.cores[0].frequency_hertz == 2.4e9);
  CHECK(sample.cores[1].frequency_hertz == 1.8e9);
}
