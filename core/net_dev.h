#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace silicon {

/// Counters of one network interface since it appeared.
struct NetDevCounters {
  std::string interface;  // eth0, wlp2s0, en0, veth1a2b3c
  double receive_bytes = 0, receive_packets = 0, receive_errors = 0, receive_dropped = 0;
  double transmit_bytes = 0, transmit_packets = 0, transmit_errors = 0, transmit_dropped = 0;
};

/// Parses /proc/net/dev or /proc/<pid>/net/dev: two header lines, then "name: 8 receive counters,
/// 8 transmit counters" (net/core/net-procfs.c). Every interface, loopback included; lines without
/// a colon, too short or not numbers are skipped. The network and docker collectors both read it.
std::vector<NetDevCounters> ParseNetDev(std::string_view text);

}  // namespace silicon
