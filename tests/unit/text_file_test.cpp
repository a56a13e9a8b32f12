#include "tests/unit/catch.h"

#include <cstdio>
#include <fstream>

#include <fcntl.h>
#include <unistd.h>

#include "core/text_file.h"

using namespace silicon;

TEST_CASE("numbers are parsed whole or not at all", "[parser][bad-input]") {
  CHECK(ParseInteger("42\n") == 42);
  CHECK(ParseInteger(" -7 ") == -7);
  CHECK(ParseInteger("+7") == 7);
  CHECK_FALSE(ParseInteger(""));
  CHECK_FALSE(ParseInteger("4 2"));
  CHECK_FALSE(ParseInteger("0x10"));
  CHECK_FALSE(ParseInteger("99999999999999999999999"));
  CHECK(ParseNumber("0.25") == 0.25);
  CHECK_FALSE(ParseNumber("nan"));
  CHECK_FALSE(ParseNumber("inf"));
  CHECK_FALSE(ParseNumber("1e999"));
  CHECK_FALSE(ParseNumber("1.5x"));
}

TEST_CASE("files are read whole, missing ones are nullopt, huge ones are cut", "[parser][bad-input]") {
  CHECK_FALSE(ReadTextFile("/nonexistent/file"));
  CHECK_FALSE(ReadTextFile("/"));  // a directory is not a file
  char path[] = "/tmp/silicon-text-file-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  {
    std::ofstream out(path);
    out << std::string(10000, 'x');
  }
  CHECK(ReadTextFile(path)->size() == 10000);
  CHECK(ReadTextFile(path, 100)->size() == 100);
  std::remove(path);
}

TEST_CASE("SplitFields: runs of blanks, and more fields than fit in place", "[parser]") {
  const auto few = silicon::SplitFields("  8  0 sda\t100  ");
  REQUIRE(few.size() == 4);
  CHECK(few[0] == "8");
  CHECK(few[3] == "100");
  CHECK(silicon::SplitFields("").empty());
  CHECK(silicon::SplitFields(" \t ").empty());
  std::string line;
  for (int i = 0; i < 40; ++i) line += std::to_string(i) + " ";
  const auto many = silicon::SplitFields(line);
  REQUIRE(many.size() == 40);
  for (int i = 0; i < 40; ++i) CHECK(many[static_cast<std::size_t>(i)] == std::to_string(i));
  std::size_t seen = 0;
  for (const auto field : many) seen += field.empty() ? 0 : 1;
  CHECK(seen == 40);
}

TEST_CASE("a procfs file longer than a page is read to its end", "[parser][linux][bad-input]") {
  // The kernel hands out a seq_file with many records one page (4 KiB) per read: reading must go
  // on to EOF. /proc/kallsyms is far longer than the limit given here, on any machine and for
  // any user (addresses read as zero without privilege).
  const int fd = open("/proc/kallsyms", O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  const auto text = silicon::ReadFromStart(fd, 64 * 1024);
  close(fd);
  REQUIRE(text);
  CHECK(text->size() == 64 * 1024);
}

TEST_CASE("a file the kernel prints in one go is whole after the first short read", "[parser][linux]") {
  // /proc/meminfo is a single_open file: one read returns all of it, and kAtShortRead saves the
  // empty read that kAtEof makes to find the end. Both must see every line.
  const auto lines = [](silicon::ReadEnd end) {
    const int fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
    const auto text = silicon::ReadFromStart(fd, silicon::kMaxTextFileBytes, end);
    close(fd);
    return text ? silicon::SplitLines(*text).size() : 0;
  };
  CHECK(lines(silicon::ReadEnd::kAtShortRead) > 20);
  CHECK(lines(silicon::ReadEnd::kAtShortRead) == lines(silicon::ReadEnd::kAtEof));
}
