#include "tests/unit/catch.h"

#include <future>
#include <stdexcept>
#include <thread>

#include "core/metric_builder.h"
#include "core/scrape_collectable.h"
#include "tests/unit/test_support.h"

using namespace silicon;
using silicon::test::FindValue;

namespace {

class FixedCollector : public Collector {
 public:
  Families Collect() override {
    auto family = GaugeFamily("silicon_test_value", "A test value.");
    AddSample(family, 7);
    return {family};
  }
};

class ThrowingCollector : public Collector {
 public:
  Families Collect() override { throw std::runtime_error("sensor on fire"); }
};

class AbsentCollector : public Collector {
 public:
  Families Collect() override { throw NoDataError("no such hardware"); }
};

class NonStdThrowingCollector : public Collector {
 public:
  Families Collect() override { throw 42; }
};

// Blocks in Collect until released, like a read of a sysfs file whose driver hangs.
class HangingCollector : public Collector {
 public:
  explicit HangingCollector(std::shared_future<void> release) : release_(std::move(release)) {}
  Families Collect() override {
    release_.wait();
    auto family = GaugeFamily("silicon_test_hung", "Returned once released.");
    AddSample(family, 1);
    return {family};
  }

 private:
  std::shared_future<void> release_;
};

}  // namespace

TEST_CASE("one failing collector never fails the scrape", "[framework]") {
  std::vector<NamedCollector> collectors;
  collectors.push_back({"broken", std::make_unique<ThrowingCollector>()});
  collectors.push_back({"fixed", std::make_unique<FixedCollector>()});
  collectors.push_back({"absent", std::make_unique<AbsentCollector>()});
  collectors.push_back({"weird", std::make_unique<NonStdThrowingCollector>()});
  const ScrapeCollectable scrape(std::move(collectors));

  for (int round = 0; round < 2; ++round) {  // the second round takes the "already logged" path
    const auto families = scrape.Collect();
    CHECK(FindValue(families, "silicon_test_value") == 7);
    CHECK(FindValue(families, "silicon_scrape_collector_success", {{"collector", "broken"}}) == 0);
    CHECK(FindValue(families, "silicon_scrape_collector_success", {{"collector", "fixed"}}) == 1);
    CHECK(FindValue(families, "silicon_scrape_collector_success", {{"collector", "absent"}}) == 1);
    CHECK(FindValue(families, "silicon_scrape_collector_success", {{"collector", "weird"}}) == 0);
    const auto took = FindValue(families, "silicon_scrape_collector_duration_seconds", {{"collector", "fixed"}});
    REQUIRE(took);
    CHECK(*took >= 0);
    CHECK(*took < 1);
  }
  CHECK(scrape.Names() == std::vector<std::string>{"broken", "fixed", "absent", "weird"});
}

TEST_CASE("a collector that never returns costs one scrape, not the next ones", "[framework]") {
  std::promise<void> release;
  std::vector<NamedCollector> collectors;
  collectors.push_back({"fixed", std::make_unique<FixedCollector>()});
  collectors.push_back({"hung", std::make_unique<HangingCollector>(release.get_future().share())});
  const ScrapeCollectable scrape(std::move(collectors), std::chrono::milliseconds(200));

  // The scrape that meets the hang is held by it, as a web server thread would be.
  auto stuck = std::async(std::launch::async, [&] { return scrape.Collect(); });
  CHECK(stuck.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);

  // Later scrapes fail the hung collector at once (it has run past the timeout) and serve the rest.
  const auto start = std::chrono::steady_clock::now();
  const auto later = scrape.Collect();
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(100));
  CHECK(FindValue(later, "silicon_test_value") == 7);
  CHECK(FindValue(later, "silicon_scrape_collector_success", {{"collector", "fixed"}}) == 1);
  CHECK(FindValue(later, "silicon_scrape_collector_success", {{"collector", "hung"}}) == 0);
  CHECK_FALSE(FindValue(later, "silicon_test_hung"));

  // Once the read returns, the held scrape finishes and the collector works again.
  release.set_value();
  CHECK(FindValue(stuck.get(), "silicon_test_hung") == 1);
  const auto after = scrape.Collect();
  CHECK(FindValue(after, "silicon_scrape_collector_success", {{"collector", "hung"}}) == 1);
  CHECK(FindValue(after, "silicon_test_hung") == 1);
}

TEST_CASE("concurrent scrapes take turns per collector", "[framework]") {
  std::vector<NamedCollector> collectors;
  collectors.push_back({"fixed", std::make_unique<FixedCollector>()});
  const ScrapeCollectable scrape(std::move(collectors), std::chrono::seconds(5));
  std::vector<std::future<Families>> scrapes;
  for (int i = 0; i < 8; ++i) scrapes.push_back(std::async(std::launch::async, [&] { return scrape.Collect(); }));
  for (auto& result : scrapes) {
    const auto families = result.get();
    CHECK(FindValue(families, "silicon_test_value") == 7);
    CHECK(FindValue(families, "silicon_scrape_collector_success", {{"collector", "fixed"}}) == 1);
  }
}
