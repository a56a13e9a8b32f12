#pragma once

#include <cstdint>
#include <string>

#include "collectors/network/network_sample.h"

namespace silicon {

/// The raw counters of one interface from sysctl NET_RT_IFLIST2: struct if_msghdr2's if_data64
/// (net/if_var.h), 64-bit unlike getifaddrs' if_data, whose 32-bit byte counters wrap every 4 GiB.
struct InterfaceData64 {
  std::string name;  // from the sockaddr_dl that follows the message
  std::uint64_t ibytes = 0, ipackets = 0, ierrors = 0, iqdrops = 0;
  std::uint64_t obytes = 0, opackets = 0, oerrors = 0;
  std::int64_t snd_drops = 0;  // if_msghdr2.ifm_snd_drops: drops in the send queue (an int there)
};

/// The interface's counters in the shape every platform shares.
NetDevCounters CountersFromData64(const InterfaceData64& raw);

}  // namespace silicon
