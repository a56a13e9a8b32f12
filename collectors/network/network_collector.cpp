#include "collectors/network/network_collector.h"

#include "core/metric_builder.h"

namespace silicon {

Families NetworkFamilies(const NetworkSample& sample, const NameFilter& filter) {
  if (sample.interfaces.empty()) throw NoDataError("no network interfaces");
  struct Column {
    prometheus::MetricFamily family;
    double NetDevCounters::*field;
  };
  Column columns[] = {
      {CounterFamily("silicon_network_receive_bytes_total", "Bytes received."), &NetDevCounters::receive_bytes},
      {CounterFamily("silicon_network_receive_packets_total", "Packets received."), &NetDevCounters::receive_packets},
      {CounterFamily("silicon_network_receive_errors_total", "Receive errors."), &NetDevCounters::receive_errors},
      {CounterFamily("silicon_network_receive_dropped_total", "Received packets dropped."),
       &NetDevCounters::receive_dropped},
      {CounterFamily("silicon_network_transmit_bytes_total", "Bytes sent."), &NetDevCounters::transmit_bytes},
      {CounterFamily("silicon_network_transmit_packets_total", "Packets sent."), &NetDevCounters::transmit_packets},
      {CounterFamily("silicon_network_transmit_errors_total", "Transmit errors."), &NetDevCounters::transmit_errors},
      {CounterFamily("silicon_network_transmit_dropped_total", "Packets dropped before sending."),
       &NetDevCounters::transmit_dropped},
  };
  for (const auto& interface : sample.interfaces) {
    if (!filter.Keeps(interface.interface)) continue;
    const std::vector<Label> labels = {{"device", interface.interface}};
    for (auto& column : columns) AddSample(column.family, interface.*column.field, labels);
  }
  Families out;
  for (auto& column : columns) AppendIfNotEmpty(out, std::move(column.family));
  return out;
}

}  // namespace silicon
