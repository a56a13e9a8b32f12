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

// Keys whose integers arrive little-endian on Apple Silicon. The rest stay big-endian, as the
// peers decode them (exelban/stats, smcFanControl's smc) and as an M1's "#KEY" shows: its ui32
// bytes 00 00 03 5f are 863 keys, where little-endian would be 1.6 billion (exelban/stats#181).
// B0AV (battery voltage, ui16) on an M2 MacBook Air, macOS 15.7.5: big-endian gave 53039,
// little-endian 12239 mV against IOKit's 12235 mV (leaperone/smctl#4). Captures in
// tests/fixtures/mac-captures/smc/. No key of this list is read yet; add a key only with such a
// comparison.
constexpr std::uint32_t kLittleEndianKeys[] = {SmcFourCC("B0AV")};

std::uint32_t LittleEndian(std::span<const std::uint8_t> bytes, std::size_t count) {
  std::uint32_t value = 0;
  for (std::size_t i = count; i-- > 0;) value = value << 8 | bytes[i];
  return value;
}

}  // namespace

bool SmcIntegersAreLittleEndian(std::uint32_t key) {
  for (const auto little_endian : kLittleEndianKeys) {
    if (key == little_endian) return true;
  }
  return false;
}

std::optional<double> DecodeSmcKeyValue(std::uint32_t key, std::uint32_t data_type, std::span<const std::uint8_t> bytes) {
  if (!SmcIntegersAreLittleEndian(key)) return DecodeSmcValue(data_type, bytes);
  if (data_type == SmcFourCC("ui16") && bytes.size() >= 2) return LittleEndian(bytes, 2);
  if (data_type == SmcFourCC("ui32") && bytes.size() >= 4) return LittleEndian(bytes, 4);
  return DecodeSmcValue(data_type, bytes);
}

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
