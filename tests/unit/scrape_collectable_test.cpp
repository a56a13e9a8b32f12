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

namespace {

// Takes `takes` per collection and reports how many collections it has made; says when it is in.
class SlowCountingCollector : public Collector {
 public:
  SlowCountingCollector(std::chrono::milliseconds takes, std::promise<void>& entered)
      : takes_(takes), entered_(entered) {}
  Families Collect() override {
    const int call = ++calls_;
    if (call == 1) entered_.set_value();
    std::this_thread::sleep_for(takes_);
    auto family = GaugeFamily("silicon_test_calls", "Collections made so far.");
    AddSample(family, call);
    return {family};
  }

 private:
  std::chrono::milliseconds takes_;
  std::promise<void>& entered_;
  std::atomic<int> calls_{0};
};

}  // namespace

// The history sampler collects beside Prometheus: a scrape that met the sampler inside a
// collector stuck on a timeout (a hung Docker daemon) used to wait the rest of that timeout and
// then run its own, two timeouts in all (4 s against Docker's 2 s, e2e.docker_test).
TEST_CASE("a scrape that finds a collector busy takes that collection's result", "[framework]") {
  std::promise<void> entered;
  std::vector<NamedCollector> collectors;
  // 1 s: time enough, even on a loaded machine, for the second scrape to start waiting.
  collectors.push_back({"slow", std::make_unique<SlowCountingCollector>(std::chrono::seconds(1), entered)});
  collectors.push_back({"fixed", std::make_unique<FixedCollector>()});
  const ScrapeCollectable scrape(std::move(collectors), std::chrono::seconds(5));

  auto first = std::async(std::launch::async, [&] { return scrape.Collect(); });
  entered.get_future().wait();
  const auto second = scrape.Collect();
  CHECK(FindValue(second, "silicon_test_calls") == 1);  // the first scrape's collection, not its own
  CHECK(FindValue(first.get(), "silicon_test_calls") == 1);
  CHECK(FindValue(second, "silicon_test_value") == 7);
  CHECK(FindValue(second, "silicon_scrape_collector_success", {{"collector", "slow"}}) == 1);
  const auto waited = FindValue(second, "silicon_scrape_collector_duration_seconds", {{"collector", "slow"}});
  REQUIRE(waited);
  CHECK(*waited < 5);  // what this scrape spent on it: the wait, within the timeout

  // Nobody waiting: the next scrape collects afresh.
  CHECK(FindValue(scrape.Collect(), "silicon_test_calls") == 2);
}

TEST_CASE("several scrapes waiting for one collection all take its result", "[framework]") {
  std::promise<void> entered;
  std::vector<NamedCollector> collectors;
  collectors.push_back({"slow", std::make_unique<SlowCountingCollector>(std::chrono::seconds(1), entered)});
  const ScrapeCollectable scrape(std::move(collectors), std::chrono::seconds(5));

  auto first = std::async(std::launch::async, [&] { return scrape.Collect(); });
  entered.get_future().wait();
  std::vector<std::future<Families>> waiting;
  for (int i = 0; i < 3; ++i) waiting.push_back(std::async(std::launch::async, [&] { return scrape.Collect(); }));
  CHECK(FindValue(first.get(), "silicon_test_calls") == 1);
  for (auto& result : waiting) CHECK(FindValue(result.get(), "silicon_test_calls") == 1);
  // The last of them let the copy go; the next scrape collects afresh.
  CHECK(FindValue(scrape.Collect(), "silicon_test_calls") == 2);
}

TEST_CASE("a scrape that waited shares a failed collection's failure too", "[framework]") {
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  class FailingAfterRelease : public Collector {
   public:
    FailingAfterRelease(std::promise<void>& entered, std::shared_future<void> released)
        : entered_(entered), released_(std::move(released)) {}
    Families Collect() override {
      if (++calls_ == 1) entered_.set_value();
      released_.wait();
      throw std::runtime_error("engine timed out");
    }
    std::atomic<int> calls_{0};

   private:
    std::promise<void>& entered_;
    std::shared_future<void> released_;
  };
  auto collector = std::make_unique<FailingAfterRelease>(entered, released);
  auto* failing = collector.get();
  std::vector<NamedCollector> collectors;
  collectors.push_back({"failing", std::move(collector)});
  const ScrapeCollectable scrape(std::move(collectors), std::chrono::seconds(5));

  auto first = std::async(std::launch::async, [&] { return scrape.Collect(); });
  entered.get_future().wait();
  auto second = std::async(std::launch::async, [&] { return scrape.Collect(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // let it wait on the busy collector
  release.set_value();
  CHECK(FindValue(first.get(), "silicon_scrape_collector_success", {{"collector", "failing"}}) == 0);
  CHECK(FindValue(second.get(), "silicon_scrape_collector_success", {{"collector", "failing"}}) == 0);
  CHECK(failing->calls_ == 1);
}
