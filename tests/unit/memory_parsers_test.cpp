#include "tests/unit/catch.h"

#include "collectors/memory/meminfo.h"
#include "core/psi.h"

using namespace silicon;

TEST_CASE("/proc/meminfo values become bytes", "[memory][parser]") {
  const auto meminfo = ParseMeminfo(
      "MemTotal:       16303524 kB\n"
      "MemFree:          512000 kB\n"
      "MemAvailable:    8123456 kB\n"
      "Active(file):    2000000 kB\n"
      "HugePages_Total:       0\n"
      "Zswap:             10240 kB\n");
  CHECK(meminfo.at("MemTotal") == 16303524.0 * 1024);
  CHECK(meminfo.at("Active(file)") == 2000000.0 * 1024);
  CHECK(meminfo.at("HugePages_Total") == 0);
  CHECK(meminfo.at("Zswap") == 10240.0 * 1024);
}

TEST_CASE("bad /proc/meminfo lines are skipped", "[memory][parser][bad-input]") {
  const auto meminfo = ParseMeminfo(
      "MemTotal: lots kB\n"
      "MemFree 100 kB\n"
      "Cached: 100 MB\n"       // unknown unit
      "Buffers: -5 kB\n"       // negative
      ": 5 kB\n"               // no name
      "SwapTotal: 99999999999999999999999999 kB\n"
      "SwapFree:  4 kB\n");
  CHECK(meminfo.size() == 1);
  CHECK(meminfo.at("SwapFree") == 4096);
  CHECK(ParseMeminfo("").empty());
}

TEST_CASE("swap traffic from /proc/vmstat", "[memory][parser]") {
  const auto swap = ParseSwapPageCounts("nr_free_pages 123\npswpin 42\npswpout 7\npgpgin 1000\nbroken line here\n");
  CHECK(swap.pages_in == 42);
  CHECK(swap.pages_out == 7);
  CHECK_FALSE(ParseSwapPageCounts("pgpgin 5\npswpin x\n").pages_in);
  CHECK_FALSE(ParseSwapPageCounts("").pages_out);
}

TEST_CASE("zram mm_stat", "[memory][parser]") {
  CHECK(ParseZramMemUsed("  4096000  1024000  1200000        0  1300000      100        0        0        0\n") ==
        1200000);
  CHECK_FALSE(ParseZramMemUsed("4096000 1024000"));
  CHECK_FALSE(ParseZramMemUsed("a b c"));
}

TEST_CASE("PSI files", "[pressure][parser]") {
  const auto memory = ParsePsi(
      "some avg10=12.50 avg60=3.00 avg300=0.75 total=1234567\n"
      "full avg10=1.25 avg60=0.00 avg300=0.00 total=500000\n");
  REQUIRE(memory);
  REQUIRE(memory->some);
  REQUIRE(memory->full);
  CHECK(memory->some->avg10 == 12.5);
  CHECK(memory->some->avg300 == 0.75);
  CHECK(memory->some->total_seconds == Approx(1.234567));
  CHECK(memory->full->total_seconds == Approx(0.5));
  // Kernels before 5.13 print no "full" line for cpu.
  const auto cpu = ParsePsi("some avg10=0.00 avg60=0.00 avg300=0.00 total=42\n");
  REQUIRE(cpu);
  CHECK_FALSE(cpu->full);
}

TEST_CASE("bad PSI input", "[pressure][parser][bad-input]") {
  CHECK_FALSE(ParsePsi(""));
  CHECK_FALSE(ParsePsi("some avg10=x avg60=0 avg300=0 total=1\n"));
  CHECK_FALSE(ParsePsi("some avg10=1 avg60=0 avg300=0\n"));               // no total
  CHECK_FALSE(ParsePsi("some avg10=1 avg60=0 avg300=0 total=-5\n"));      // negative total
  CHECK_FALSE(ParsePsi("most avg10=1 avg60=0 avg300=0 total=5\n"));
  const auto half = ParsePsi("some avg10=1 avg60=0 avg300=0 total=5\nfull garbage\n");
  REQUIRE(half);
  CHECK(half->some);
  CHECK_FALSE(half->full);
}
