#include "tests/unit/catch.h"

#include "collectors/filesystem/darwin_statfs.h"
#include "collectors/filesystem/filesystem_collector.h"
#include "collectors/filesystem/mountinfo.h"
#include "collectors/filesystem/statvfs_runner.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::CountSamples;
using silicon::test::FindValue;

// A laptop: root on dm-crypt over NVMe, /boot/efi, tmpfs, a path with a space, a read-only
// squashfs snap, and a file system the kernel remounted read-only after errors (super block "ro").
constexpr const char* kLaptopMountinfo =
    "22 1 253:0 / / rw,relatime shared:1 - ext4 /dev/mapper/luks-root rw,errors=remount-ro\n"
    "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
    "24 22 259:1 / /boot/efi rw,relatime shared:29 - vfat /dev/nvme0n1p1 rw,fmask=0077\n"
    "25 22 0:25 / /run rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=3260000k,mode=755\n"
    "26 22 259:3 / /media/My\\040Disk rw,nosuid,nodev - exfat /dev/sda1 rw\n"
    "27 22 7:0 / /snap/core/1 ro,nodev,relatime shared:30 - squashfs /dev/loop0 ro\n"
    "28 22 253:1 / /data rw,relatime shared:31 - xfs /dev/mapper/data ro,attr2\n"
    "29 22 259:4 / /data rw,relatime shared:32 - xfs /dev/mapper/data2 rw\n"  // mounted over /data
    "bad line without separator\n"
    "30 22 0:50 / /short - \n";

TEST_CASE("mountinfo: escapes, read-only flags, over-mounts", "[filesystem]") {
  const auto mounts = ParseMountinfo(kLaptopMountinfo);
  REQUIRE(mounts.size() == 7);
  CHECK(mounts[0].mountpoint == "/");
  CHECK(mounts[0].device == "/dev/mapper/luks-root");
  CHECK(mounts[0].fstype == "ext4");
  CHECK_FALSE(mounts[0].readonly);
  CHECK(mounts[4].mountpoint == "/media/My Disk");
  CHECK(mounts[5].readonly);  // mount option ro
  // /data was mounted over: the visible one is the second, with its own flags.
  CHECK(mounts[6].mountpoint == "/data");
  CHECK(mounts[6].device == "/dev/mapper/data2");
  CHECK_FALSE(mounts[6].readonly);
  // Super block read-only, mount rw: what ext4's errors=remount-ro leaves behind.
  const auto remounted = ParseMountinfo("40 1 8:1 / /srv rw,relatime - ext4 /dev/sdb1 ro,errors=remount-ro\n");
  REQUIRE(remounted.size() == 1);
  CHECK(remounted[0].readonly);
  CHECK(ParseMountinfo("").empty());
}

TEST_CASE("filesystem families", "[filesystem]") {
  FilesystemSample sample;
  sample.filesystems.push_back({"/dev/mapper/luks-root", "/", "ext4", false,
                                FilesystemUsage{500e9, 200e9, 175e9, 30e6, 28e6}, false});
  sample.filesystems.push_back({"server:/export", "/mnt/nfs", "nfs4", false, std::nullopt, true});
  const auto families = FilesystemFamilies(sample);
  const std::map<std::string, std::string> root = {{"mountpoint", "/"}, {"device", "/dev/mapper/luks-root"},
                                                   {"fstype", "ext4"}};
  CHECK(FindValue(families, "silicon_filesystem_size_bytes", root) == 500e9);
  CHECK(FindValue(families, "silicon_filesystem_free_bytes", root) == 200e9);
  CHECK(FindValue(families, "silicon_filesystem_avail_bytes", root) == 175e9);
  CHECK(FindValue(families, "silicon_filesystem_files", root) == 30e6);
  CHECK(FindValue(families, "silicon_filesystem_files_free", root) == 28e6);
  CHECK(FindValue(families, "silicon_filesystem_readonly", root) == 0);
  CHECK(FindValue(families, "silicon_filesystem_device_error", root) == 0);
  // The hung NFS mount: its error and flags, no sizes (never zeros for unknown).
  CHECK(FindValue(families, "silicon_filesystem_device_error", {{"mountpoint", "/mnt/nfs"}}) == 1);
  CHECK(CountSamples(families, "silicon_filesystem_size_bytes") == 1);
  CHECK_THROWS_AS(FilesystemFamilies(FilesystemSample{}), NoDataError);
}

TEST_CASE("macOS statfs of an M3 Max's APFS volumes", "[filesystem][darwin]") {
  // The data volume of a 1 TB internal SSD: 4 KiB blocks; APFS volumes of one container share its
  // free space, so / and /System/Volumes/Data report the same free blocks.
  const RawStatfs data{"/dev/disk3s5", "/System/Volumes/Data", "apfs", false, 4096, 242837545, 120000000, 120000000,
                       4294967295ULL, 4290000000ULL};
  const auto fs = FilesystemFromStatfs(data);
  CHECK(fs.mountpoint == "/System/Volumes/Data");
  CHECK(fs.fstype == "apfs");
  REQUIRE(fs.usage);
  CHECK(fs.usage->size_bytes == 242837545.0 * 4096);
  CHECK(fs.usage->avail_bytes == 120000000.0 * 4096);
  CHECK(fs.usage->files_free == 4290000000.0);
  const auto root = FilesystemFromStatfs({"/dev/disk3s1s1", "/", "apfs", true, 4096, 242837545, 120000000,
                                          120000000, 4294967295ULL, 4290000000ULL});
  CHECK(root.readonly);  // the sealed system volume
}

TEST_CASE("the statvfs runner answers every path in order, failures included", "[filesystem]") {
  StatvfsRunner runner(std::chrono::seconds(5));
  for (int round = 0; round < 3; ++round) {  // the same worker serves job after job
    const auto results = runner.StatAll({"/", "/nonexistent/silicon", SILICON_FIXTURES});
    REQUIRE(results.size() == 3);
    CHECK(results[0].stat);
    CHECK(results[0].stat->f_blocks > 0);
    CHECK_FALSE(results[1].stat);
    CHECK_FALSE(results[1].stuck);  // failed at once: an error, not a hang
    CHECK(results[2].stat);
  }
  CHECK(runner.StatAll({}).empty());
}
