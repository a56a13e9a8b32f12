#include "collectors/thermal/hid_temperatures.h"

#include <cmath>
#include <map>
#include <string_view>

namespace silicon {
namespace {

// Below 15 °C: parked clusters report 4-10 °C, a sensor without power rather than a cold die
// (reported by macmon users). Around -9200: the invalid marker some sensors return. Above 150 °C
// nothing on a running Mac can be; such a reading is a broken sensor, and would page for nothing.
constexpr double kLowestPlausible = 15;
constexpr double kHighestPlausible = 150;

// Calibration references, not temperatures: "PMU tcal" reads 51.9 on an M1 Mac mini
// (exelban/stats#210) and 51.85 on all four of an M2 Ultra's PMUs (vladkens/macmon#17), whatever
// the load; an M3 MacBook Air also has "PMU tcal2" (macmade/Hot#90). "PMU2 TR0Z" reads the same
// 51.9 on that M1 and is the third such sensor Hot#90 names. Kept, they would hold the hottest
// sensor, and every alert on it, at 51-52 °C (captures in tests/fixtures/mac-captures/hid/).
bool IsCalibrationReference(std::string_view product) {
  const auto space = product.rfind(' ');
  if (!product.starts_with("PMU") || space == std::string_view::npos) return false;
  const auto last_word = product.substr(space + 1);
  return last_word.starts_with("tcal") || last_word == "TR0Z";
}

}  // namespace

std::vector<TemperatureSensor> TemperaturesFromHid(const std::vector<HidTemperature>& readings) {
  std::map<std::string, double> hottest;
  for (const auto& reading : readings) {
    if (reading.product.empty() || !std::isfinite(reading.celsius)) continue;
    if (IsCalibrationReference(reading.product)) continue;
    if (reading.celsius < kLowestPlausible || reading.celsius > kHighestPlausible) continue;
    const auto [it, inserted] = hottest.emplace(reading.product, reading.celsius);
    if (!inserted && reading.celsius > it->second) it->second = reading.celsius;
  }
  std::vector<TemperatureSensor> sensors;
  for (const auto& [name, celsius] : hottest) sensors.push_back({"hid", name, celsius, std::nullopt, std::nullopt});
  return sensors;
}

}  // namespace silicon
