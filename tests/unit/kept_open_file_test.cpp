#include "tests/unit/catch.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "core/kept_open_file.h"
#include "tests/unit/test_support.h"

using namespace silicon;

TEST_CASE("a kept-open procfs file sees fresh content on every read", "[parser][linux]") {
  KeptOpenFile uptime("/proc/self/stat");
  const auto first = uptime.Read();
  REQUIRE(first);
  // Burn some CPU so utime or stime moves, then the same descriptor must show the new text.
  volatile double sink = 0;
  std::optional<std::string> later;
  for (int round = 0; round < 200 && (!later || *later == *first); ++round) {
    for (int i = 0; i < 2000000; ++i) sink = sink + i;
    later = uptime.Read();
  }
  REQUIRE(later);
  CHECK(*later != *first);
}

TEST_CASE("a kept-open file that vanishes reads as nullopt, then comes back", "[parser][bad-input][linux]") {
  char path[] = "/tmp/silicon-kept-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, "one\n", 4) == 4);
  close(fd);
  KeptOpenFile file(path);
  CHECK(file.Read() == "one\n");
  std::remove(path);
  CHECK_FALSE(KeptOpenFile(path).Read());
  {
    std::ofstream out(path);
    out << "two\n";
  }
  CHECK(KeptOpenFile(path).Read() == "two\n");
  std::remove(path);
  CHECK_FALSE(KeptOpenFile("/nonexistent/x").Read());
}

TEST_CASE("a mount table in a regular file is never taken as unchanged", "[parser]") {
  // Fixture trees are regular files: only procfs can say it did not change, so they are re-read.
  silicon::KeptOpenFile table(std::filesystem::path(SILICON_FIXTURES) / "server-md/proc/1/mountinfo");
  CHECK_FALSE(table.MountTableUnchanged());  // not read yet
  REQUIRE(table.Read());
  CHECK_FALSE(table.MountTableUnchanged());
}
