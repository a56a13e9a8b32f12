#include "core/net_dev.h"

#include <algorithm>

#include "core/text_file.h"

namespace silicon {
namespace {

// Columns after the colon (net/core/net-procfs.c dev_seq_printf_stats): receive bytes, packets,
// errs, drop, fifo, frame, compressed, multicast; transmit bytes, packets, errs, drop, fifo,
// colls, carrier, compressed.
enum Column { kRxBytes, kRxPackets, kRxErrs, kRxDrop, kTxBytes = 8, kTxPackets, kTxErrs, kTxDrop, kColumns = 16 };

}  // namespace

std::vector<NetDevCounters> ParseNetDev(std::string_view text) {
  std::vector<NetDevCounters> interfaces;
  for (const auto line : SplitLines(text)) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // the two header lines have '|', not ':'
    const auto name = TrimSpace(line.substr(0, colon));
    const auto fields = SplitFields(line.substr(colon + 1));
    if (name.empty() || fields.size() < kColumns) continue;
    double value[kColumns];
    bool numbers = true;
    for (std::size_t i = 0; i < kColumns && numbers; ++i) {
      const auto parsed = ParseNonNegative(fields[i]);
      numbers = parsed.has_value();
      value[i] = parsed.value_or(0);
    }
    // The kernel lists an interface once; a repeated name would make its series twice: first wins.
    const auto same_name = [&](const NetDevCounters& seen) { return seen.interface == name; };
    if (!numbers || std::any_of(interfaces.begin(), interfaces.end(), same_name)) continue;
    interfaces.push_back({std::string(name), value[kRxBytes], value[kRxPackets], value[kRxErrs], value[kRxDrop],
                          value[kTxBytes], value[kTxPackets], value[kTxErrs], value[kTxDrop]});
  }
  return interfaces;
}

}  // namespace silicon
