#include "tests/unit/catch.h"

#include "collectors/memory/darwin_vm_stats.h"
#include "collectors/memory/memory_collector.h"
#include "tests/unit/m3_max_samples.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::FindValue;
using silicon::test::M3Max48GB;

TEST_CASE("M3 Max VM statistics become the shared memory sample", "[darwin][memory]") {
  const auto sample = MemorySampleFromDarwin(M3Max48GB());
  const double page = 16384;
  CHECK(sample.total_bytes == 51539607552.0);
  const double used = (1280000.0 - 20000 + 250000 + 180000) * page;  // app + wired + compressed
  CHECK(sample.available_bytes == Approx(51539607552.0 - used));
  CHECK(sample.wired_bytes == 250000 * page);
  CHECK(sample.compressed_bytes == 180000 * page);
  CHECK(sample.cached_bytes == 900000 * page);
  // vm_stat's "Pages free": speculative pages are in free_count and in the external (cached) pages.
  CHECK(sample.free_bytes == (120000 - 30000) * page);
  CHECK(sample.swap_in_bytes == 5000 * page);  // swapins, not pageins
  CHECK(sample.swap_used_bytes == 805306368.0);

  const auto families = MemoryFamilies(sample, {});
  CHECK(FindValue(families, "silicon_memory_used_bytes") == Approx(used));
  CHECK(FindValue(families, "silicon_memory_pressure_level") == 1);  // kernel "warn" (2) -> 1
}

TEST_CASE("odd macOS VM numbers never go negative", "[darwin][memory][bad-input]") {
  auto s = M3Max48GB();
  s.purgeable_count = s.internal_page_count + 5;  // more purgeable than app pages
  s.wire_count = 10'000'000;                      // more than memory: available clamps at 0
  const auto sample = MemorySampleFromDarwin(s);
  CHECK(sample.available_bytes == 0);
  s.speculative_count = s.free_count + 1;  // never below zero
  CHECK(MemorySampleFromDarwin(s).free_bytes == 0);
  DarwinVmStats empty;
  const auto nothing = MemorySampleFromDarwin(empty);
  CHECK_FALSE(nothing.total_bytes);
  CHECK_FALSE(nothing.swap_total_bytes);
}
