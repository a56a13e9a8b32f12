#include "collectors/network/darwin_interface_data.h"

#include <cstring>

namespace silicon {
namespace {

// Every Mac (arm64 and x86_64) is little-endian: the kernel copies the struct in that order.
template <typename T>
T LittleEndianAt(std::span<const std::uint8_t> bytes, std::size_t offset) {
  std::uint64_t value = 0;
  for (std::size_t i = sizeof(T); i-- > 0;) value = value << 8 | bytes[offset + i];
  return static_cast<T>(value);
}

}  // namespace

std::optional<InterfaceData64> InterfaceDataFromIfmibdata(std::span<const std::uint8_t> bytes) {
  namespace layout = ifmibdata_layout;
  if (bytes.size() < layout::kSize) return std::nullopt;
  const auto* name = reinterpret_cast<const char*>(bytes.data() + layout::kName);
  InterfaceData64 raw;
  raw.name.assign(name, strnlen(name, layout::kNameSize));
  // make_ifmibdata (xnu bsd/net/if_mib.c) leaves the struct zeroed for a detached interface.
  if (raw.name.empty()) return std::nullopt;
  raw.ibytes = LittleEndianAt<std::uint64_t>(bytes, layout::kIbytes);
  raw.ipackets = LittleEndianAt<std::uint64_t>(bytes, layout::kIpackets);
  raw.ierrors = LittleEndianAt<std::uint64_t>(bytes, layout::kIerrors);
  raw.iqdrops = LittleEndianAt<std::uint64_t>(bytes, layout::kIqdrops);
  raw.obytes = LittleEndianAt<std::uint64_t>(bytes, layout::kObytes);
  raw.opackets = LittleEndianAt<std::uint64_t>(bytes, layout::kOpackets);
  raw.oerrors = LittleEndianAt<std::uint64_t>(bytes, layout::kOerrors);
  raw.snd_drops = LittleEndianAt<std::uint32_t>(bytes, layout::kSndDrops);
  return raw;
}

NetDevCounters CountersFromData64(const InterfaceData64& raw) {
  const auto value = [](std::uint64_t counter) { return static_cast<double>(counter); };
  NetDevCounters stats;
  stats.interface = raw.name;
  stats.receive_bytes = value(raw.ibytes);
  stats.receive_packets = value(raw.ipackets);
  stats.receive_errors = value(raw.ierrors);
  stats.receive_dropped = value(raw.iqdrops);
  stats.transmit_bytes = value(raw.obytes);
  stats.transmit_packets = value(raw.opackets);
  stats.transmit_errors = value(raw.oerrors);
  stats.transmit_dropped = raw.snd_drops > 0 ? static_cast<double>(raw.snd_drops) : 0;
  return stats;
}

std::uint64_t Iflist2BytesForUnsignedBinary(std::uint64_t bytes) {
  // ALIGN_BYTES(x): x = (uint32_t)P2ALIGN(x, 1024), applied when !csproc_get_platform_binary().
  return static_cast<std::uint32_t>(bytes & ~std::uint64_t{1023});
}

}  // namespace silicon
