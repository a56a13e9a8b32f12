#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

// The value formats of Apple's System Management Controller keys, platform-neutral so the decoding
// is tested here; core/apple_smc_darwin.cpp does the reading.
namespace silicon {

/// A four-character code as the SMC packs it (big-endian): "PSTR", "flt ".
constexpr std::uint32_t SmcFourCC(std::string_view code) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = value << 8 | static_cast<std::uint8_t>(i < code.size() ? code[i] : ' ');
  return value;
}

/// A key's bytes as a number by its data type: "flt " (little-endian float, Apple Silicon),
/// "fpe2" (unsigned 14.2 fixed point, fans on Intel Macs), "sp78" (signed 8.8, temperatures),
/// "ui8 ", "ui16", "ui32" (big-endian). nullopt for other types, short data, NaN or infinity.
std::optional<double> DecodeSmcValue(std::uint32_t data_type, std::span<const std::uint8_t> bytes);

/// Whether Apple Silicon's SMC sends this key's integers little-endian, unlike the big-endian
/// rule the peers' tools apply to every ui16/ui32 (see the .cpp for the evidence per key).
bool SmcIntegersAreLittleEndian(std::uint32_t key);

/// DecodeSmcValue with the byte order of the key's integers: use this one when reading a key.
std::optional<double> DecodeSmcKeyValue(std::uint32_t key, std::uint32_t data_type, std::span<const std::uint8_t> bytes);

}  // namespace silicon
