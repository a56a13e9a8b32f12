#include "tests/unit/catch.h"

#include "collectors/disk/disk_collector.h"
#include "collectors/disk/darwin_block_storage.h"
#include "collectors/disk/diskstats.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::CountSamples;
using silicon::test::FindValue;

// A laptop with NVMe, a dm-crypt volume on it, and the loop and zram devices every box has.
// Fields after the name: reads, merged, sectors read, ms reading, writes, merged, sectors written,
// ms writing, in flight, ms doing I/O, weighted ms, then discard and flush fields (Linux 4.18+, 5.5+).
constexpr const char* kLaptop =
    " 259       0 nvme0n1 114307 27361 9392410 24850 272655 164004 16783530 238120 0 161968 283426 0 0 0 0 9617 20455\n"
    " 259       1 nvme0n1p1 241 1003 12510 49 2 0 2 0 0 60 49 0 0 0 0 0 0\n"
    " 253       0 dm-0 141393 0 9377138 59780 436659 0 16783528 1118336 0 162696 1178116 0 0 0 0 0 0\n"
    "   7       0 loop0 56 0 2238 9 0 0 0 0 0 28 9 0 0 0 0 0 0\n"
    " 252       0 zram0 12 0 96 0 44 0 352 0 0 4 0 0 0 0 0 0 0\n";

TEST_CASE("diskstats: sectors are 512 bytes and times milliseconds", "[disk]") {
  const auto disks = ParseDiskstats(kLaptop);
  REQUIRE(disks.size() == 5);
  const auto& nvme = disks[0];
  CHECK(nvme.device == "nvme0n1");
  CHECK(nvme.reads_completed == 114307);
  CHECK(nvme.read_bytes == 9392410.0 * 512);
  CHECK(nvme.read_time_seconds == Approx(24.850));
  CHECK(nvme.writes_completed == 272655);
  CHECK(nvme.written_bytes == 16783530.0 * 512);
  CHECK(nvme.write_time_seconds == Approx(238.120));
  CHECK(nvme.io_time_seconds == Approx(161.968));
  CHECK(disks[2].device == "dm-0");
}

TEST_CASE("diskstats: old kernels' 14 fields parse, short or garbage lines are skipped", "[disk][bad-input]") {
  const auto disks = ParseDiskstats(
      "   8       0 sda 100 0 800 10 50 0 400 20 0 30 30\n"  // Linux 2.6-4.17: 14 fields
      "   8       1 sda1 100 0\n"                            // cut short
      "   8       2 sdb x y z 1 2 3 4 5 6 7 8\n"             // not numbers
      "   8       3 sdc -1 0 800 10 50 0 400 20 0 30 30\n"   // a negative counter
      "\n");
  REQUIRE(disks.size() == 1);
  CHECK(disks[0].device == "sda");
  CHECK(disks[0].written_bytes == 400.0 * 512);
  CHECK(ParseDiskstats("").empty());
  // A device listed twice (procfs_fuzz's find) keeps its first line: two would be one series twice.
  const auto twice = ParseDiskstats("   8 0 sda 1 0 8 1 1 0 8 1 0 1 1\n   8 16 sdb 1 0 8 1 1 0 8 1 0 1 1\n"
                                    "   8 0 sda 9 0 9 9 9 0 9 9 0 9 9\n");
  REQUIRE(twice.size() == 2);
  CHECK(twice[0].device == "sda");
  CHECK(twice[0].reads_completed == 1);
  CHECK(twice[1].device == "sdb");
}

TEST_CASE("disk families leave out excluded devices", "[disk]") {
  const DiskSample sample{ParseDiskstats(kLaptop)};
  const NameFilter filter(DiskOptions{}.device_exclude);
  const auto families = DiskFamilies(sample, filter);
  CHECK(CountSamples(families, "silicon_disk_read_bytes_total") == 2);  // nvme0n1, dm-0
  CHECK(FindValue(families, "silicon_disk_read_bytes_total", {{"device", "nvme0n1"}}) == 9392410.0 * 512);
  CHECK(FindValue(families, "silicon_disk_written_bytes_total", {{"device", "dm-0"}}) == 16783528.0 * 512);
  CHECK(FindValue(families, "silicon_disk_io_time_seconds_total", {{"device", "dm-0"}}) == Approx(162.696));
  CHECK_FALSE(FindValue(families, "silicon_disk_reads_completed_total", {{"device", "loop0"}}));

  // macOS has no busy time: no series rather than a zero.
  DiskSample mac;
  mac.disks.push_back({"disk0", 4096, 8192, 1, 2, 0.5, 0.25, std::nullopt});
  const auto mac_families = DiskFamilies(mac, NameFilter(""));
  CHECK(FindValue(mac_families, "silicon_disk_write_time_seconds_total", {{"device", "disk0"}}) == 0.25);
  CHECK(CountSamples(mac_families, "silicon_disk_io_time_seconds_total") == 0);

  CHECK_THROWS_AS(DiskFamilies(DiskSample{}, filter), NoDataError);
}

TEST_CASE("macOS block storage statistics: an M3 Max's internal SSD and an external disk", "[disk][darwin]") {
  // disk0: the internal APFS SSD after a day's work; times in nanoseconds.
  const auto internal = DiskStatsFromBlockStorage(
      {"disk0", 412316860416, 298500456448, 9873412, 6102345, 1846000000000, 2210500000000});
  REQUIRE(internal);
  CHECK(internal->device == "disk0");
  CHECK(internal->read_bytes == 412316860416.0);
  CHECK(internal->writes_completed == 6102345);
  CHECK(internal->read_time_seconds == Approx(1846.0));
  CHECK(internal->write_time_seconds == Approx(2210.5));
  CHECK_FALSE(internal->io_time_seconds);
  // A USB disk whose driver has no time keys yet: zeros for what it lacks, the bytes as given.
  const auto external = DiskStatsFromBlockStorage({"disk4", 1048576, 0, 16, 0, std::nullopt, std::nullopt});
  REQUIRE(external);
  CHECK(external->read_time_seconds == 0);
  // No BSD disk (media ejected), no byte counters, or a negative counter: not a disk to report.
  CHECK_FALSE(DiskStatsFromBlockStorage({"", 1, 1, 1, 1, 1, 1}));
  CHECK_FALSE(DiskStatsFromBlockStorage({"disk5", std::nullopt, 1, 1, 1, 1, 1}));
  CHECK_FALSE(DiskStatsFromBlockStorage({"disk6", 1, 1, -1, 1, 1, 1}));
}
