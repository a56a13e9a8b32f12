#include "tests/unit/catch.h"

#include "collectors/docker/cgroup_stats.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::FixturePaths;

TEST_CASE("net/dev of a container, loopback left out", "[docker][parser]") {
  const auto interfaces = ParseContainerNetDev(
      "Inter-|   Receive                                                |  Transmit\n"
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
      "    lo:       10       1    0    0    0     0          0         0       10       1    0    0    0     0       0          0\n"
      "  eth0:  5242880    3600    1    2    0     0          0         0    73000     900    3    4    0     0       0          0\n");
  REQUIRE(interfaces.size() == 1);
  CHECK(interfaces[0].interface == "eth0");
  CHECK(interfaces[0].receive_bytes == 5242880);
  CHECK(interfaces[0].receive_dropped == 2);
  CHECK(interfaces[0].transmit_packets == 900);
  CHECK(interfaces[0].transmit_dropped == 4);
  CHECK(ParseContainerNetDev("garbage\n  eth1: 1 2 3\n").empty());
}

TEST_CASE("keyed cgroup files", "[docker][parser]") {
  const char* stat = "cache 100\nrss 200\ntotal_inactive_file 4096\ninactive_file 10\n";
  CHECK(ParseKeyedValue(stat, "total_inactive_file") == 4096);
  CHECK(ParseKeyedValue(stat, "inactive_file") == 10);
  CHECK_FALSE(ParseKeyedValue(stat, "missing"));
  CHECK_FALSE(ParseKeyedValue("usage_usec lots\n", "usage_usec"));
}

TEST_CASE("block I/O in both cgroup versions", "[docker][parser]") {
  const auto v1 = ParseBlkioServiceBytes(
      "8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Total 12288\n"
      "8:16 Read 100\n8:16 Write 0\nTotal 12388\n");
  CHECK(v1.first == 4196);
  CHECK(v1.second == 8192);
  const auto v2 = ParseIoStat("8:0 rbytes=1048576 wbytes=2097152 rios=10 wios=20 dbytes=0 dios=0\n"
                              "253:0 rbytes=1 wbytes=2 rios=1 wios=1\n");
  CHECK(v2.first == 1048577);
  CHECK(v2.second == 2097154);
  CHECK_FALSE(ParseBlkioServiceBytes("").first);
  CHECK_FALSE(ParseIoStat("8:0 rbytes=x\n").first);
}

TEST_CASE("memory limits: unlimited is no limit", "[docker][parser]") {
  CHECK(ParseMemoryLimit("67108864\n") == 67108864);
  CHECK_FALSE(ParseMemoryLimit("max\n"));
  CHECK_FALSE(ParseMemoryLimit("9223372036854771712\n"));  // v1's "unlimited", page-rounded LONG_MAX
  CHECK_FALSE(ParseMemoryLimit("nonsense"));
}

TEST_CASE("cgroup v1 fixture (cgroupfs driver), recorded from docker.io 20.10", "[docker][fixture]") {
  const auto stats = ReadCgroupStats(FixturePaths("docker-cgroup-v1"),
                                     "7b604a3956db983a4e56159c2922e9acbf30daff3a34ac0b9b230087c0320470");
  REQUIRE(stats);
  CHECK(stats->cpu_seconds == Approx(1.532776608));
  CHECK(stats->memory_usage_bytes == 45056000);
  CHECK(stats->memory_working_set_bytes == 45056000 - 1048576);
  CHECK(stats->memory_limit_bytes == 67108864);
  CHECK(stats->pids == 3);
  CHECK(stats->oom_kills == 1);
  CHECK(stats->blkio_read_bytes == 4096);
  CHECK(stats->blkio_write_bytes == 20971520);
  REQUIRE(stats->network.size() == 1);
  CHECK(stats->network[0].receive_bytes == 5242880);
}

TEST_CASE("cgroup v2 fixture (systemd driver), written by hand", "[docker][fixture]") {
  const auto stats = ReadCgroupStats(FixturePaths("docker-cgroup-v2"),
                                     "3f1d2c4b5a6978877665544332211000ffeeddccbbaa99887766554433221100");
  REQUIRE(stats);
  CHECK(stats->cpu_seconds == Approx(12.5));
  CHECK(stats->memory_usage_bytes == 104857600);
  CHECK(stats->memory_working_set_bytes == 104857600 - 20971520);
  CHECK_FALSE(stats->memory_limit_bytes);  // memory.max = max
  CHECK(stats->pids == 7);
  CHECK(stats->oom_kills == 0);
  CHECK(stats->blkio_read_bytes == 1048576);
  CHECK(stats->blkio_write_bytes == 3145728);
  REQUIRE(stats->network.size() == 1);
  CHECK(stats->network[0].transmit_bytes == 73000);
}

TEST_CASE("a container this host cannot see has no cgroup stats", "[docker][fixture]") {
  CHECK_FALSE(ReadCgroupStats(FixturePaths("docker-cgroup-v1"), "0000000000000000000000000000000000000000000000000000000000000000"));
  CHECK_FALSE(ReadCgroupStats(FixturePaths("x86-vm"), "7b604a3956db983a4e56159c2922e9acbf30daff3a34ac0b9b230087c0320470"));
  CHECK_FALSE(ReadCgroupStats(FixturePaths("docker-cgroup-v1"), "../../../etc"));  // never a path out of the tree
}
