#include "tests/unit/catch.h"

#include "collectors/thermal/thermal_collector.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::CountSamples;
using silicon::test::FindValue;

namespace {
TemperatureSensor Sensor(double celsius, std::optional<double> serious, std::optional<double> critical) {
  return {"chip", "sensor", celsius, serious, critical};
}
}  // namespace

TEST_CASE("a sensor's state against its own limits", "[thermal]") {
  const ThermalOptions defaults;
  // coretemp-like: max 80, crit 100; fair starts 10 below the lowest limit.
  CHECK(SensorThermalState(Sensor(50, 80, 100), defaults) == 0);
  CHECK(SensorThermalState(Sensor(69.9, 80, 100), defaults) == 0);
  CHECK(SensorThermalState(Sensor(70, 80, 100), defaults) == 1);
  CHECK(SensorThermalState(Sensor(80, 80, 100), defaults) == 2);
  CHECK(SensorThermalState(Sensor(99.9, 80, 100), defaults) == 2);
  CHECK(SensorThermalState(Sensor(100, 80, 100), defaults) == 3);
  // acpitz-like: only a critical trip.
  CHECK(SensorThermalState(Sensor(100, std::nullopt, 110), defaults) == 1);
  CHECK(SensorThermalState(Sensor(110, std::nullopt, 110), defaults) == 3);
  // No limits and no thresholds: no opinion.
  CHECK_FALSE(SensorThermalState(Sensor(100, std::nullopt, std::nullopt), defaults));
}

TEST_CASE("configured thresholds apply to every sensor", "[thermal]") {
  ThermalOptions options;
  options.fair_celsius = 60;
  options.serious_celsius = 75;
  options.critical_celsius = 90;
  CHECK(SensorThermalState(Sensor(59, std::nullopt, std::nullopt), options) == 0);
  CHECK(SensorThermalState(Sensor(60, std::nullopt, std::nullopt), options) == 1);
  CHECK(SensorThermalState(Sensor(75, std::nullopt, std::nullopt), options) == 2);
  CHECK(SensorThermalState(Sensor(90, std::nullopt, std::nullopt), options) == 3);
  // The stricter of sensor limit and threshold wins.
  CHECK(SensorThermalState(Sensor(85, 80, 100), options) == 2);
}

TEST_CASE("the machine's state is the worst sensor's, or the OS's own", "[thermal]") {
  ThermalSample sample;
  sample.temperatures = {Sensor(50, 80, 100), Sensor(85, 80, 100), Sensor(30, std::nullopt, std::nullopt)};
  CHECK(ThermalState(sample, {}) == 2);
  sample.os_thermal_state = 1;  // macOS says fair: that wins over our own reading
  CHECK(ThermalState(sample, {}) == 1);
  sample.os_thermal_state = 9;  // a value NSProcessInfo does not define
  CHECK_FALSE(ThermalState(sample, {}));
}

TEST_CASE("thermal families", "[thermal]") {
  ThermalSample sample;
  sample.temperatures = {{"coretemp", "Package id 0", 71.5, 80, 100}};
  sample.fans = {{"thinkpad", "fan1", 2450}};
  const auto families = ThermalFamilies(sample, {});
  CHECK(FindValue(families, "silicon_temperature_celsius", {{"chip", "coretemp"}, {"sensor", "Package id 0"}}) ==
        71.5);
  CHECK(FindValue(families, "silicon_fan_speed_rpm", {{"chip", "thinkpad"}, {"fan", "fan1"}}) == 2450);
  CHECK(FindValue(families, "silicon_thermal_state") == 1);
  CHECK(CountSamples(families, "silicon_thermal_pressure_level") == 0);

  ThermalSample mac;
  mac.os_thermal_state = 0;
  mac.os_pressure_level = 0;
  const auto mac_families = ThermalFamilies(mac, {});
  CHECK(FindValue(mac_families, "silicon_thermal_state") == 0);
  CHECK(FindValue(mac_families, "silicon_thermal_pressure_level") == 0);
  CHECK(CountSamples(mac_families, "silicon_temperature_celsius") == 0);

  CHECK_THROWS_AS(ThermalFamilies(ThermalSample{}, {}), NoDataError);
}

TEST_CASE("the limits the thermal state is derived from are exported as they are", "[thermal]") {
  ThermalSample sample;
  sample.temperatures = {{"coretemp", "Core 0", 60, 80, 100},
                         {"acpitz", "thermal_zone0", 40, std::nullopt, 110},
                         {"nvme", "Composite", 35, std::nullopt, std::nullopt}};
  const auto families = ThermalFamilies(sample, {});
  const auto limit = [&](const char* chip, const char* sensor, const char* kind) {
    return FindValue(families, "silicon_temperature_limit_celsius", {{"chip", chip}, {"sensor", sensor}, {"kind", kind}});
  };
  CHECK(limit("coretemp", "Core 0", "serious") == 80);
  CHECK(limit("coretemp", "Core 0", "critical") == 100);
  CHECK(limit("acpitz", "thermal_zone0", "critical") == 110);
  CHECK_FALSE(limit("acpitz", "thermal_zone0", "serious"));
  // A sensor without limits has no limit series (never a 0).
  CHECK(CountSamples(families, "silicon_temperature_limit_celsius") == 3);
}
