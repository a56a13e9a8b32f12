#include "tests/unit/catch.h"

#include <cmath>
#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/thermal/hid_temperatures.h"
#include "collectors/thermal/thermal_collector.h"
#include "core/smc_value.h"
#include "tests/unit/mac_capture.h"
#include "tests/unit/test_support.h"

using namespace silicon;

TEST_CASE("SMC values decode by their data type", "[smc][darwin]") {
  CHECK(SmcFourCC("PSTR") == 0x50535452u);
  CHECK(SmcFourCC("ui8") == SmcFourCC("ui8 "));  // short codes are space-padded
  const std::vector<std::uint8_t> flt = {0x00, 0x00, 0x1a, 0x42};  // 38.5f, little-endian on Apple Silicon
  CHECK(DecodeSmcValue(SmcFourCC("flt "), flt) == 38.5);
  const std::vector<std::uint8_t> fpe2 = {0x1f, 0x40};  // 8000 / 4 = 2000 rpm (Intel Macs' fans)
  CHECK(DecodeSmcValue(SmcFourCC("fpe2"), fpe2) == 2000);
  const std::vector<std::uint8_t> sp78 = {0x2d, 0x80};  // 45.5 °C
  CHECK(DecodeSmcValue(SmcFourCC("sp78"), sp78) == 45.5);
  const std::vector<std::uint8_t> negative = {0xff, 0x00};  // -1 °C
  CHECK(DecodeSmcValue(SmcFourCC("sp78"), negative) == -1);
  const std::vector<std::uint8_t> two = {2};
  CHECK(DecodeSmcValue(SmcFourCC("ui8 "), two) == 2);
  const std::vector<std::uint8_t> big = {0x00, 0x01, 0x00, 0x00};
  CHECK(DecodeSmcValue(SmcFourCC("ui32"), big) == 65536);
  CHECK(DecodeSmcValue(SmcFourCC("ui16"), big) == 1);
}

TEST_CASE("SMC values that cannot be read are no value", "[smc][darwin][bad-input]") {
  const std::vector<std::uint8_t> nan = {0x00, 0x00, 0xc0, 0x7f};
  CHECK_FALSE(DecodeSmcValue(SmcFourCC("flt "), nan));
  const std::vector<std::uint8_t> short_data = {0x01};
  CHECK_FALSE(DecodeSmcValue(SmcFourCC("flt "), short_data));
  CHECK_FALSE(DecodeSmcValue(SmcFourCC("ui16"), short_data));
  CHECK_FALSE(DecodeSmcValue(SmcFourCC("{fds"), short_data));  // a structure type
  CHECK_FALSE(DecodeSmcValue(SmcFourCC("flt "), {}));
}

namespace {

// One "KEY  [type]  ... (bytes xx xx ...)" line of a captured smc listing: key, type and bytes.
struct SmcLine {
  std::uint32_t key = 0, type = 0;
  std::vector<std::uint8_t> bytes;
  std::string printed;  // what the tool printed between the type and the bytes
};

std::vector<SmcLine> SmcCapture(const std::string& file) {
  std::istringstream lines(test::MacCapture("smc/" + file));
  std::vector<SmcLine> parsed;
  std::string line;
  while (std::getline(lines, line)) {
    const auto open = line.find('['), close = line.find(']'), paren = line.find('(');
    if (open == std::string::npos || close == std::string::npos || paren == std::string::npos) continue;
    SmcLine smc{SmcFourCC(line.substr(0, 4)), SmcFourCC(line.substr(open + 1, close - open - 1)), {}, {}};
    smc.printed = line.substr(close + 1, paren - close - 1);
    std::istringstream bytes(line.substr(line.find_first_of("0123456789abcdefABCDEF", line.find(' ', paren))));
    std::string byte;
    while (bytes >> byte && byte != ")") smc.bytes.push_back(static_cast<std::uint8_t>(std::stoul(byte, nullptr, 16)));
    parsed.push_back(smc);
  }
  return parsed;
}

}  // namespace

TEST_CASE("SMC integers from an M1's smc -l decode big-endian, as the tool printed", "[smc][darwin][capture]") {
  // exelban/stats#181: "#KEY" (the key count) 863 from bytes 00 00 03 5f; little-endian would be
  // 1.6 billion keys. AC-I 19 from 00 13. Exact: integers.
  const auto lines = SmcCapture("m1-stats181-smc-l.txt");
  REQUIRE(lines.size() == 3);
  for (const auto& line : lines) {
    INFO(line.printed);
    CHECK(DecodeSmcKeyValue(line.key, line.type, line.bytes) == std::stod(line.printed));
  }
}

TEST_CASE("SMC B0AV on an M2 MacBook Air is little-endian: 12239 mV, not 53039", "[smc][darwin][capture]") {
  // leaperone/smctl#4: big-endian gave 53039; IOKit's battery voltage read 12235 mV. Tolerance
  // 10 mV: the two readings were not taken at the same instant.
  std::istringstream capture(test::MacCapture("smc/m2-air-smctl4-b0av.txt"));
  std::string key, type, high, low, bar;
  double big_endian = 0, iokit_millivolts = 0;
  capture >> key >> type >> high >> low >> bar >> big_endian >> bar >> iokit_millivolts;
  const std::vector<std::uint8_t> bytes = {static_cast<std::uint8_t>(std::stoul(high, nullptr, 16)),
                                           static_cast<std::uint8_t>(std::stoul(low, nullptr, 16))};
  CHECK(DecodeSmcValue(SmcFourCC("ui16"), bytes) == big_endian);  // the type-only rule: wrong here
  const auto millivolts = DecodeSmcKeyValue(SmcFourCC(key), SmcFourCC("ui16"), bytes);
  REQUIRE(millivolts);
  CHECK(*millivolts == 12239);
  CHECK(std::abs(*millivolts - iokit_millivolts) < 10);
  CHECK_FALSE(SmcIntegersAreLittleEndian(SmcFourCC("#KEY")));
}

TEST_CASE("SMC flt values of an M4 are little-endian floats, as smctemp printed", "[smc][darwin][capture]") {
  // narugit/smctemp#40: the tool printed one decimal, hence the 0.05 tolerance.
  const auto lines = SmcCapture("m4-smctemp40-flt.txt");
  REQUIRE(lines.size() == 3);
  for (const auto& line : lines) {
    INFO(line.printed);
    const auto value = DecodeSmcKeyValue(line.key, line.type, line.bytes);
    REQUIRE(value);
    CHECK(std::abs(*value - std::stod(line.printed)) <= 0.05);
  }
}

TEST_CASE("M3 Max IOHID temperatures: parked clusters and invalid markers dropped", "[thermal][darwin]") {
  const std::vector<HidTemperature> readings = {
      {"PMU tdie1", 48.2},      {"PMU tdie2", 51.7},       {"pACC MTR Temp Sensor0", 56.3},
      {"pACC MTR Temp Sensor1", 7.5},  // a parked P cluster: no power, not cold
      {"eACC MTR Temp Sensor0", 44.1}, {"GPU MTR Temp Sensor1", 49.9},  {"NAND CH0 temp", 36.0},
      {"gas gauge battery", 31.2},     {"PMU tdev9", -9201.5},  // the invalid marker
      {"PMU tdie1", 49.0},             // the same name twice: one sensor, the hotter reading
      {"", 40},                        {"broken", std::nan("")}, {"stuck", 400}};
  const auto sensors = TemperaturesFromHid(readings);
  REQUIRE(sensors.size() == 7);
  CHECK(sensors.front().sensor == "GPU MTR Temp Sensor1");  // sorted by name, stable between scrapes
  for (const auto& sensor : sensors) {
    CHECK(sensor.chip == "hid");
    CHECK(sensor.celsius >= 15);
    CHECK(sensor.sensor != "pACC MTR Temp Sensor1");
  }
  ThermalSample sample;
  sample.os_thermal_state = 1;
  sample.temperatures = sensors;
  sample.fans = {{"smc", "fan0", 2310}, {"smc", "fan1", 2287}};
  const auto families = ThermalFamilies(sample, {});
  CHECK(test::FindValue(families, "silicon_temperature_celsius", {{"sensor", "PMU tdie1"}}) == 49.0);
  CHECK(test::FindValue(families, "silicon_fan_speed_rpm", {{"chip", "smc"}, {"fan", "fan1"}}) == 2287);
  CHECK(test::FindValue(families, "silicon_thermal_state") == 1);  // macOS says fair; sensors have no limits
}

namespace {

// A published IOHID sensor list of tests/fixtures/mac-captures/hid/ ("Product | degrees C" lines).
std::vector<HidTemperature> HidCapture(const std::string& file) {
  std::istringstream lines(test::MacCapture("hid/" + file));
  std::vector<HidTemperature> readings;
  std::string line;
  while (std::getline(lines, line)) {
    const auto bar = line.find('|');
    if (bar == std::string::npos) continue;
    auto product = line.substr(0, bar);
    product.erase(product.find_last_not_of(' ') + 1);
    readings.push_back({product, std::stod(line.substr(bar + 1))});
  }
  return readings;
}

double Hottest(const std::vector<TemperatureSensor>& sensors) {
  double hottest = 0;
  for (const auto& sensor : sensors) hottest = std::max(hottest, sensor.celsius);
  return hottest;
}

}  // namespace

TEST_CASE("an M1 Mac mini's HID sensors: PMU tcal and PMU2 TR0Z are no temperatures", "[thermal][darwin][capture]") {
  // exelban/stats#210: both read 51.9 °C on an idle machine whose hottest real sensor is 38.0.
  const auto readings = HidCapture("m1-mini-stats210.txt");
  REQUIRE(readings.size() == 36);
  const auto sensors = TemperaturesFromHid(readings);
  for (const auto& sensor : sensors) {
    CHECK(sensor.sensor != "PMU tcal");
    CHECK(sensor.sensor != "PMU2 TR0Z");
  }
  CHECK(sensors.size() == 32);  // 36, less the two references and tdev4/tdev5 at -21.5 (unpowered)
  CHECK(Hottest(sensors) == 38.0);  // PMU2 TR2l; with the references kept it read 51.9
  CHECK(test::FindValue(ThermalFamilies(ThermalSample{sensors, {}, std::nullopt, std::nullopt}, {}), "silicon_temperature_celsius",
                        {{"sensor", "PMU tdie1"}}) == 37.3);
}

TEST_CASE("an M2 Ultra's HID sensors: four PMU tcal at 51.85 °C are left out", "[thermal][darwin][capture]") {
  // vladkens/macmon#17: one service per PMU; the hottest real reading in the excerpt is 45.83.
  const auto sensors = TemperaturesFromHid(HidCapture("m2ultra-macmon17.txt"));
  CHECK(sensors.size() == 8);  // TP3g, tdev1-7
  CHECK(Hottest(sensors) == 45.83);
  CHECK(test::FindValue(ThermalFamilies(ThermalSample{sensors, {}, std::nullopt, std::nullopt}, {}), "silicon_temperature_celsius",
                        {{"sensor", "PMU tcal"}}) == std::nullopt);
}
