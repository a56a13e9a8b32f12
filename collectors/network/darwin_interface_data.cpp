#include "collectors/network/darwin_interface_data.h"

namespace silicon {

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
  // An int in the kernel's message: a negative one would be a wrapped counter, not a count.
  stats.transmit_dropped = raw.snd_drops > 0 ? static_cast<double>(raw.snd_drops) : 0;
  return stats;
}

}  // namespace silicon
