#include "tests/unit/catch.h"

#include "collectors/network/darwin_interface_data.h"
#include "collectors/network/network_collector.h"
#include "core/net_dev.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::CountSamples;
using silicon::test::FindValue;

// A container host: loopback, the uplink, docker0 and one veth per container.
constexpr const char* kContainerHost =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier "
    "compressed\n"
    "    lo: 4816221   52004    0    0    0     0          0         0  4816221   52004    0    0    0     0       0 "
    "         0\n"
    "  eth0: 9876543210 7654321  3   17    0     0          0      1204 1234567890 2345678    0    2    0     0       "
    "0          0\n"
    "docker0: 104857600  80000    0    0    0     0          0         0 209715200  90000    0    0    0     0       0 "
    "         0\n"
    "veth1a2b3c4: 52428800  40000    0    1    0     0          0         0 104857600  45000    0    0    0     0       "
    "0          0\n";

TEST_CASE("net/dev: the eight counters per interface", "[network]") {
  const auto interfaces = ParseNetDev(kContainerHost);
  REQUIRE(interfaces.size() == 4);
  const auto& eth0 = interfaces[1];
  CHECK(eth0.interface == "eth0");
  CHECK(eth0.receive_bytes == 9876543210.0);
  CHECK(eth0.receive_packets == 7654321);
  CHECK(eth0.receive_errors == 3);
  CHECK(eth0.receive_dropped == 17);
  CHECK(eth0.transmit_bytes == 1234567890.0);
  CHECK(eth0.transmit_packets == 2345678);
  CHECK(eth0.transmit_errors == 0);
  CHECK(eth0.transmit_dropped == 2);
  CHECK(interfaces[3].interface == "veth1a2b3c4");
}

TEST_CASE("net/dev: a name glued to its first number, and bad lines", "[network][bad-input]") {
  // Linux before 2.6 printed "eth0:123" without a space once the counter grew wide.
  const auto interfaces = ParseNetDev(
      "h1\nh2\n"
      "  eth0:123 4 0 0 0 0 0 0 567 8 0 0 0 0 0 0\n"
      "  eth1: 1 2 3\n"                          // cut short
      "  eth2: a b c d e f g h i j k l m n o p\n"  // not numbers
      "  no colon here 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");
  REQUIRE(interfaces.size() == 1);
  CHECK(interfaces[0].interface == "eth0");
  CHECK(interfaces[0].receive_bytes == 123);
  CHECK(interfaces[0].transmit_bytes == 567);
  CHECK(ParseNetDev("").empty());
  // An interface listed twice (procfs_fuzz's find) keeps its first line.
  const auto twice = ParseNetDev("lo: 1 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0\nlo: 9 0 0 0 0 0 0 0 9 0 0 0 0 0 0 0\n");
  REQUIRE(twice.size() == 1);
  CHECK(twice[0].receive_bytes == 1);
}

TEST_CASE("network families keep loopback by default and drop what the pattern excludes", "[network]") {
  const NetworkSample sample{ParseNetDev(kContainerHost)};
  const auto all = NetworkFamilies(sample, NameFilter(NetworkOptions{}.device_exclude));
  CHECK(CountSamples(all, "silicon_network_receive_bytes_total") == 4);
  CHECK(FindValue(all, "silicon_network_receive_bytes_total", {{"device", "lo"}}) == 4816221);
  CHECK(FindValue(all, "silicon_network_transmit_drop_total", {{"device", "eth0"}}) == 2);
  const auto no_veth = NetworkFamilies(sample, NameFilter("^veth"));
  CHECK(CountSamples(no_veth, "silicon_network_transmit_packets_total") == 3);
  CHECK_THROWS_AS(NetworkFamilies(NetworkSample{}, NameFilter("")), NoDataError);
}

TEST_CASE("macOS if_data64: 64-bit counters of an M3 Max's Wi-Fi", "[network][darwin]") {
  // en0 after moving 6 GiB: past what 32-bit if_data counters could hold.
  InterfaceData64 raw{"en0", 6442450944ULL, 4800000, 2, 11, 1073741824ULL, 900000, 0, 5};
  const auto stats = CountersFromData64(raw);
  CHECK(stats.interface == "en0");
  CHECK(stats.receive_bytes == 6442450944.0);
  CHECK(stats.receive_dropped == 11);
  CHECK(stats.transmit_bytes == 1073741824.0);
  CHECK(stats.transmit_errors == 0);
  CHECK(stats.transmit_dropped == 5);  // if_msghdr2's send-queue drops: if_data64 has no output drop counter
}
