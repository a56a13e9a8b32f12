#pragma once

#include <cstdint>
#include <optional>

namespace silicon {

/// A hardware energy counter that wraps (RAPL's energy_uj returns to 0 past max_energy_range_uj),
/// kept as a total that only grows while the exporter runs. Correct as long as it is read at least
/// once per wrap: RAPL's range is 2^32 uJ or more, over an hour even at 1 kW.
class EnergyCounter64 {
 public:
  /// Takes a new reading in microjoules; returns the total in joules.
  double Update(std::uint64_t microjoules, std::optional<std::uint64_t> range_microjoules);

 private:
  std::optional<std::uint64_t> last_;
  std::uint64_t wrapped_ = 0;  // microjoules carried over from the wraps seen
};

}  // namespace silicon
