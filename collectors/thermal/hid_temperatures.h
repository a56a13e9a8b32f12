#pragma once

#include <string>
#include <vector>

#include "collectors/thermal/thermal_sample.h"

namespace silicon {

/// One IOHID temperature service (usage page 0xff00, usage 5) as macOS hands it over: its
/// Product name and the event's value.
struct HidTemperature {
  std::string product;  // "PMU tdie1", "pACC MTR Temp Sensor0", "GPU MTR Temp Sensor1"
  double celsius = 0;
};

/// The sensors to expose, chip "hid", sorted by name. Readings that cannot be a die temperature
/// and calibration references ("PMU tcal") are dropped (see the .cpp for why each); services that share a name are one sensor with the
/// highest reading, since the order macOS lists them in is not stable between calls.
std::vector<TemperatureSensor> TemperaturesFromHid(const std::vector<HidTemperature>& readings);

}  // namespace silicon
