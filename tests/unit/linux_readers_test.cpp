// Linux readers on small sysfs/procfs trees made by the test: layouts real machines have that the
// shared fixture trees do not.
#include "tests/unit/catch.h"

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

// A sysfs tree with the hwmon layouts that once went wrong, in a folder of its own.
struct OddHwmonTree {
  fs::path root = fs::temp_directory_path() / ("silicon-hwmon-" + std::to_string(::getpid()));
  OddHwmonTree() {
    fs::remove_all(root);
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
  ~OddHwmonTree() { fs::remove_all(root); }
};

}  // namespace

TEST_CASE("hwmon chips that keep their attributes in device/, repeated labels, '..' links", "[thermal][bad-input][linux]") {
  const OddHwmonTree tree;
  ThermalReader reader(HostPaths{tree.root / "proc", tree.root / "sys", tree.root});
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

TEST_CASE("a CPU with only cpuinfo_cur_freq still has a frequency", "[cpu][linux]") {
  const fs::path root = fs::temp_directory_path() / ("silicon-cpufreq-" + std::to_string(::getpid()));
  fs::remove_all(root);
  Write(root / "proc/stat", "cpu  10 0 10 80\ncpu0 10 0 10 80\ncpu1 10 0 10 80\nintr 0\n");
  Write(root / "sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_cur_freq", "2400000\n");  // kHz
  Write(root / "sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq", "1800000\n");
  Write(root / "sys/devices/system/cpu/cpu1/cpufreq/cpuinfo_cur_freq", "9999999\n");  // scaling_ wins
  CpuReader reader(HostPaths{root / "proc", root / "sys", root});
  const auto sample = reader.Read();
  REQUIRE(sample.cores.size() == 2);
  CHECK(sample.cores[0].frequency_hertz == 2.4e9);
  CHECK(sample.cores[1].frequency_hertz == 1.8e9);
  fs::remove_all(root);
}
