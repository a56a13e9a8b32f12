#include "tests/unit/catch.h"

#include "collectors/cpu/proc_stat.h"

using namespace silicon;

namespace {
double ModeSeconds(const CpuCoreSample& core, const std::string& mode) {
  for (const auto& m : core.modes) {
    if (m.mode == mode) return m.seconds;
  }
  FAIL("mode " << mode << " missing");
  return -1;
}
}  // namespace

TEST_CASE("per-cpu lines of /proc/stat become seconds per mode", "[cpu][parser]") {
  const char* text =
      "cpu  2255 34 2290 22625563 6290 127 456 0 0 0\n"
      "cpu0 1132 34 1441 11311718 3675 127 438 7 50 3\n"
      "cpu1 1123 0 849 11313845 2614 0 18 0 0 0\n"
      "intr 114930548 113199788 3 0 5 263 0 4 [... lots more numbers ...]\n"
      "ctxt 1990473\n";
  const auto cores = ParseProcStatCpus(text, 100);
  REQUIRE(cores.size() == 2);
  CHECK(cores[0].cpu == 0);
  CHECK(cores[1].cpu == 1);
  CHECK(ModeSeconds(cores[0], "user") == Approx(11.32));
  CHECK(ModeSeconds(cores[0], "idle") == Approx(113117.18));
  CHECK(ModeSeconds(cores[0], "steal") == Approx(0.07));
  CHECK(cores[0].modes.size() == 8);
  CHECK(cores[0].guest_user_seconds == Approx(0.5));
  CHECK(cores[0].guest_nice_seconds == Approx(0.03));
}

TEST_CASE("old kernels with fewer /proc/stat columns keep the modes they have", "[cpu][parser]") {
  // Linux 2.6.10 and older print user nice system idle iowait irq softirq only.
  const auto cores = ParseProcStatCpus("cpu3 10 20 30 40 50 60 70\n", 100);
  REQUIRE(cores.size() == 1);
  CHECK(cores[0].cpu == 3);
  CHECK(cores[0].modes.size() == 7);
  CHECK_FALSE(cores[0].guest_user_seconds.has_value());
}

TEST_CASE("a malformed CPU line fails the read instead of shrinking the machine", "[cpu][parser][bad-input]") {
  for (const char* bad : {"cpu0 1 2 3\n",                    // too few fields
                          "cpuX 1 2 3 4 5 6 7 8\n",          // not a number
                          "cpu1 1 2 3 4 five 6 7 8\n",       // garbage column
                          "cpu2 -1 2 3 4 5 6 7 8\n",         // negative counter
                          "cpu99999999999999999999 1 2 3 4 5 6 7 8\n"}) {
    CHECK_THROWS_AS(ParseProcStatCpus(std::string("cpu4 100 0 0 0 0 0 0 0 0 0\n") + bad, 100), std::runtime_error);
  }
  // A file cut in the middle of a line (the input that once dropped CPUs 1-15 with success).
  CHECK_THROWS_WITH(ParseProcStatCpus("cpu  200 0 0 0\ncpu0 100 0 0 0 0 0 0 0 0 0\ncpu1 10", 100),
                    Catch::Contains("malformed CPU line in /proc/stat: 'cpu1 10'"));
  CHECK(ParseProcStatCpus("cpu4 100 0 0 0 0 0 0 0 0 0\nintr 5\n", 100).size() == 1);
  CHECK(ParseProcStatCpus("", 100).empty());
  CHECK(ParseProcStatCpus("ctxt 5\n", 100).empty());
  // A CPU listed twice (procfs_fuzz's find) would give every series of that CPU twice: a corrupt
  // file, refused like the others.
  CHECK_THROWS_WITH(ParseProcStatCpus("cpu3 1 0 0 0 0 0 0 0 0 0\ncpu4 1 0 0 0 0 0 0 0 0 0\ncpu3 2 0 0 0 0 0 0 0 0 0\n", 100),
                    Catch::Contains("cpu3 listed twice in /proc/stat"));
}

TEST_CASE("/proc/loadavg", "[cpu][parser]") {
  const auto load = ParseLoadavg("0.52 0.58 0.59 1/467 12345\n");
  REQUIRE(load);
  CHECK(load->one == Approx(0.52));
  CHECK(load->five == Approx(0.58));
  CHECK(load->fifteen == Approx(0.59));
  CHECK_FALSE(ParseLoadavg(""));
  CHECK_FALSE(ParseLoadavg("0.1 zz 0.3"));
  CHECK_FALSE(ParseLoadavg("0.1 0.2"));
}

TEST_CASE("kernel cpu lists", "[cpu][parser]") {
  CHECK(ParseCpuList("0-3,8,10-11\n") == std::vector<int>{0, 1, 2, 3, 8, 10, 11});
  CHECK(ParseCpuList("5") == std::vector<int>{5});
  CHECK(ParseCpuList("\n") == std::vector<int>{});
  CHECK_FALSE(ParseCpuList("3-1"));
  CHECK_FALSE(ParseCpuList("a-b"));
  CHECK_FALSE(ParseCpuList("0-99999999"));  // absurd ranges are refused, not allocated
  CHECK_FALSE(ParseCpuList("1,,2"));
}

TEST_CASE("processor model from /proc/cpuinfo", "[cpu][parser]") {
  CHECK(ParseCpuinfoModel("processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: 12th Gen Intel(R) "
                          "Core(TM) i7-1260P\n") == "12th Gen Intel(R) Core(TM) i7-1260P");
  CHECK(ParseCpuinfoModel("processor\t: 0\nBogoMIPS\t: 48.00\n\nModel\t\t: Raspberry Pi 4\n") ==
        "Raspberry Pi 4");
  CHECK(ParseCpuinfoModel("processor : 0\nBogoMIPS : 48.00\n") == "");
}

TEST_CASE("core types from cpu_capacity", "[cpu][parser]") {
  // Asahi Linux on an M1: cores 0-3 are the Icestorm (efficiency) cluster.
  const auto m1 = CoreTypesFromCapacity({{0, 459}, {1, 459}, {2, 459}, {3, 459},
                                         {4, 1024}, {5, 1024}, {6, 1024}, {7, 1024}});
  CHECK(m1.at(0) == "efficiency");
  CHECK(m1.at(7) == "performance");
  // A homogeneous machine has no P/E split.
  const auto flat = CoreTypesFromCapacity({{0, 1024}, {1, 1024}});
  CHECK(flat.at(0) == "unknown");
  // Three tiers (prime, big, little): only the highest is performance.
  const auto tiers = CoreTypesFromCapacity({{0, 400}, {1, 800}, {2, 1024}});
  CHECK(tiers.at(0) == "efficiency");
  CHECK(tiers.at(1) == "efficiency");
  CHECK(tiers.at(2) == "performance");
  CHECK(CoreTypesFromCapacity({}).empty());
}
