#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "collectors/network/network_sample.h"

namespace silicon {

/// The raw counters of one interface as macOS keeps them: struct if_data64 (net/if_var.h), 64-bit
/// byte counters the kernel hands over whole through IFDATA_GENERAL (see IfmibdataLayout).
struct InterfaceData64 {
  std::string name;  // ifmibdata.ifmd_name: the BSD name ("en0")
  std::uint64_t ibytes = 0, ipackets = 0, ierrors = 0, iqdrops = 0;
  std::uint64_t obytes = 0, opackets = 0, oerrors = 0;
  std::int64_t snd_drops = 0;  // ifmd_snd_drops: drops in the send queue
};

/// Byte offsets in struct ifmibdata (net/if_mib.h; its if_data64 under #pragma pack(4) of
/// net/if_var.h), the answer of sysctl {CTL_NET, PF_LINK, NETLINK_GENERIC, IFMIB_IFDATA, index,
/// IFDATA_GENERAL}. network_reader_darwin.cpp checks each against the SDK's offsetof.
namespace ifmibdata_layout {
inline constexpr std::size_t kName = 0, kNameSize = 16;  // char ifmd_name[IFNAMSIZ]
inline constexpr std::size_t kSndDrops = 32;             // unsigned int ifmd_snd_drops
inline constexpr std::size_t kData = 52;                 // struct if_data64 ifmd_data
inline constexpr std::size_t kIpackets = kData + 24, kIerrors = kData + 32, kOpackets = kData + 40,
                             kOerrors = kData + 48, kIbytes = kData + 64, kObytes = kData + 72,
                             kIqdrops = kData + 96;
inline constexpr std::size_t kSize = kData + 128;  // sizeof(struct ifmibdata) on arm64 macOS
}  // namespace ifmibdata_layout

/// One interface's counters from the bytes of a struct ifmibdata (host byte order, little-endian
/// on every Mac); nullopt when the bytes are short or the name is empty (a detached interface).
std::optional<InterfaceData64> InterfaceDataFromIfmibdata(std::span<const std::uint8_t> bytes);

/// The interface's counters in the shape every platform shares.
NetDevCounters CountersFromData64(const InterfaceData64& raw);

/// What NET_RT_IFLIST2 hands a binary Apple did not sign in place of a byte counter: rounded down
/// to 1 KiB, then cut to 32 bits (xnu bsd/net/rtsock.c, ALIGN_BYTES in sysctl_iflist2). Kept to
/// show in tests why that source is not used.
std::uint64_t Iflist2BytesForUnsignedBinary(std::uint64_t bytes);

}  // namespace silicon
