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

TEST_CASE("a pattern nested 30 000 deep is refused, not a stack overflow", "[filter][bad-input]") {
  // 60 KB of parentheses: std::regex recursed once per level and crashed the exporter (SIGSEGV)
  // at start-up and on SIGHUP. Go's regexp refuses more than 1000 levels; so do we.
  const std::string deep = std::string(30000, '(') + "a" + std::string(30000, ')');
  const auto problem = CheckNamePattern(deep);
  REQUIRE(problem);
  CHECK_THAT(*problem, Catch::Contains("nests groups 30000 deep, more than the 1000"));
  CHECK_THROWS_AS(NameFilter(deep), std::invalid_argument);
  const std::string unclosed(30000, '(');
  REQUIRE(CheckNamePattern(unclosed));
  CHECK(CheckNamePattern(unclosed)->size() < 300);  // the message quotes a part, not 30 KB
  const std::string thousand = std::string(1000, '(') + "a" + std::string(1000, ')');
  CHECK_FALSE(CheckNamePattern(thousand));
  CHECK_FALSE(NameFilter(thousand).Keeps("a"));
}

TEST_CASE("parentheses that are literal do not count as nesting", "[filter]") {
  // Each piece holds a '(' that opens no group; 1500 of them would be 1500 levels if counted.
  const auto times_1500 = [](const std::string& piece) {
    std::string text;
    for (int i = 0; i < 1500; ++i) text += piece;
    return text;
  };
  CHECK_FALSE(CheckNamePattern(times_1500("\\(")));
  CHECK_FALSE(CheckNamePattern(times_1500("[(]")));
  CHECK_FALSE(CheckNamePattern(times_1500("[](]")));
  CHECK_FALSE(CheckNamePattern(times_1500("[[:alpha:](]")));
  CHECK_FALSE(CheckNamePattern("\\Q" + std::string(1500, '(') + "\\E"));
  CHECK(CheckNamePattern(times_1500("(") + "a" + std::string(1500, ')')));
}

TEST_CASE("patterns use RE2 (Go) syntax, searched in the name", "[filter]") {
  const NameFilter veth("^veth");
  CHECK_FALSE(veth.Keeps("veth12ab"));
  CHECK(veth.Keeps("eth0"));
  const NameFilter inner("docker");  // unanchored, as node_exporter's MatchString
  CHECK_FALSE(inner.Keeps("br-docker0"));
  const NameFilter classes(R"(^[[:alpha:]]+\d$)");
  CHECK_FALSE(classes.Keeps("sda1"));
  // Perl lookahead is not RE2 (nor Go) syntax: refused with a reason, as node_exporter would.
  CHECK(CheckNamePattern("^(?!lo)"));
}
