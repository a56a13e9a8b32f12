#include "tests/unit/catch.h"

#include <stdexcept>

#include "exporter/metric_builder.h"
#include "exporter/scrape_collectable.h"
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
