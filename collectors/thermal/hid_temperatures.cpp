#include "collectors/thermal/hid_temperatures.h"

#include <cmath>
#include <map>

namespace silicon {
namespace {

// Below 15 °C: parked clusters report 4-10 °C, a sensor without power rather than a cold die
// (reported by macmon users). Around -9200: the invalid marker some sensors return. Above 150 °C
// nothing on a running Mac can be; such a reading is a broken sensor, and would page for nothing.
constexpr double kLowestPlausible = 15;
constexpr double kHighestPlausible = 150;

}  // namespace

std::vector<TemperatureSensor> TemperaturesFromHid(const std::vector<HidTemperature>& readings) {
  std::map<std::string, double> hottest;
  for (const auto& reading : readings) {
    if (reading.product.empty() || !std::isfinite(reading.celsius)) continue;
    if (reading.celsius < kLowestPlausible || reading.celsius > kHighestPlausible) continue;
    const auto [it, inserted] = hottest.emplace(reading.product, reading.celsius);
    if (!inserted && reading.celsius > it->second) it->second = reading.celsius;
  }
  std::vector<TemperatureSensor> sensors;
  for (const auto& [name, celsius] : hottest) sensors.push_back({"hid", name, celsius, std::nullopt, std::nullopt});
  return sensors;
}

}  // namespace silicon
