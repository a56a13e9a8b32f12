#include "core/smc_value.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace silicon {
namespace {

std::uint32_t BigEndian(std::span<const std::uint8_t> bytes, std::size_t count) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < count; ++i) value = value << 8 | bytes[i];
  return value;
}

}  // namespace

std::optional<double> DecodeSmcValue(std::uint32_t data_type, std::span<const std::uint8_t> bytes) {
  double value;
  if (data_type == SmcFourCC("flt ") && bytes.size() >= 4) {
    const std::uint32_t bits = static_cast<std::uint32_t>(bytes[0]) | static_cast<std::uint32_t>(bytes[1]) << 8 |
                               static_cast<std::uint32_t>(bytes[2]) << 16 | static_cast<std::uint32_t>(bytes[3]) << 24;
    value = std::bit_cast<float>(bits);
  } else if (data_type == SmcFourCC("fpe2") && bytes.size() >= 2) {
    value = BigEndian(bytes, 2) / 4.0;
  } else if (data_type == SmcFourCC("sp78") && bytes.size() >= 2) {
    value = static_cast<std::int16_t>(BigEndian(bytes, 2)) / 256.0;
  } else if (data_type == SmcFourCC("ui8 ") && bytes.size() >= 1) {
    value = bytes[0];
  } else if (data_type == SmcFourCC("ui16") && bytes.size() >= 2) {
    value = BigEndian(bytes, 2);
  } else if (data_type == SmcFourCC("ui32") && bytes.size() >= 4) {
    value = BigEndian(bytes, 4);
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace silicon
