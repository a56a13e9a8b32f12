#include "tests/unit/catch.h"

#include "core/name_filter.h"

using namespace silicon;

TEST_CASE("a name filter drops what its pattern matches as a whole", "[filter]") {
  const NameFilter disks(R"(^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$)");
  CHECK(disks.Keeps("nvme0n1"));
  CHECK_FALSE(disks.Keeps("nvme0n1p2"));
  CHECK(disks.Keeps("sda"));
  CHECK_FALSE(disks.Keeps("sda1"));
  CHECK_FALSE(disks.Keeps("loop7"));
  CHECK_FALSE(disks.Keeps("zram0"));
  CHECK(disks.Keeps("dm-0"));
  CHECK(disks.Keeps("md127"));
  // Asked again (the cache answers): the same.
  CHECK_FALSE(disks.Keeps("sda1"));
  CHECK(disks.Keeps("sda"));
}

TEST_CASE("an empty pattern keeps everything", "[filter]") {
  const NameFilter none("");
  CHECK(none.Keeps("lo"));
  CHECK(none.Keeps(""));
}

TEST_CASE("a bad pattern says what is wrong", "[filter][bad-input]") {
  CHECK(CheckNamePattern("^(unclosed"));
  CHECK_FALSE(CheckNamePattern("^lo$"));
  CHECK_FALSE(CheckNamePattern(""));
  CHECK_THROWS_AS(NameFilter("[z-a]"), std::invalid_argument);
}
