#include "tests/unit/catch.h"

#include <cmath>

#include "exporter/history/history_json.h"
#include "exporter/history/history_store.h"

using namespace silicon;

namespace {

SeriesId Named(std::string name, std::vector<std::pair<std::string, std::string>> labels = {}) {
  return SeriesId{std::move(name), std::move(labels)};
}

const std::vector<float>* ValuesOf(const HistoryWindow& window, const SeriesId& id) {
  for (const auto& [series, values] : window.series) {
    if (series == id) return &values;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("history ring keeps the last capacity samples, oldest first, after it wraps", "[history]") {
  HistoryStore store(4);
  for (int i = 0; i < 10; ++i) store.Append(1000 * (i + 1), {{Named("load1"), i}});
  const auto window = store.Since(0);
  CHECK(window.timestamps_ms == std::vector<std::int64_t>{7000, 8000, 9000, 10000});
  const auto* values = ValuesOf(window, Named("load1"));
  REQUIRE(values);
  CHECK(*values == std::vector<float>{6, 7, 8, 9});
  CHECK(store.Samples() == 10);
}

TEST_CASE("history ring answers since= with only the newer samples", "[history]") {
  HistoryStore store(8);
  for (int i = 0; i < 5; ++i) store.Append(1000 * (i + 1), {{Named("load1"), i}});
  const auto window = store.Since(3000);
  CHECK(window.timestamps_ms == std::vector<std::int64_t>{4000, 5000});
  CHECK(*ValuesOf(window, Named("load1")) == std::vector<float>{3, 4});
  CHECK(store.Since(5000).timestamps_ms.empty());
  CHECK(store.Since(5000).series.empty());
}

TEST_CASE("a series missing from a sample leaves a gap, not the previous value", "[history]") {
  HistoryStore store(8);
  store.Append(1000, {{Named("a"), 1}, {Named("b"), 10}});
  store.Append(2000, {{Named("a"), 2}});  // b's collector failed this time
  store.Append(3000, {{Named("a"), 3}, {Named("b"), 30}});
  const auto window = store.Since(0);
  const auto& b = *ValuesOf(window, Named("b"));
  REQUIRE(b.size() == 3);
  CHECK(b[0] == 10);
  CHECK(std::isnan(b[1]));
  CHECK(b[2] == 30);
  CHECK(*ValuesOf(window, Named("a")) == std::vector<float>{1, 2, 3});
}

TEST_CASE("a series that appears later has gaps before it; one gone for a whole ring is dropped", "[history]") {
  HistoryStore store(3);
  const auto web = Named("container_memory_bytes", {{"name", "web"}});
  const auto db = Named("container_memory_bytes", {{"name", "db"}});
  store.Append(1000, {{web, 5}});
  store.Append(2000, {{web, 6}, {db, 7}});  // db started
  auto window = store.Since(0);
  CHECK(std::isnan((*ValuesOf(window, db))[0]));
  CHECK((*ValuesOf(window, db))[1] == 7);
  // web stops; its values stay until the ring has overwritten them, then it takes no room.
  store.Append(3000, {{db, 8}});
  store.Append(4000, {{db, 9}});
  CHECK(store.SeriesCount() == 2);
  window = store.Since(0);
  CHECK((*ValuesOf(window, web))[0] == 6);
  CHECK(std::isnan((*ValuesOf(window, web))[1]));
  CHECK(std::isnan((*ValuesOf(window, web))[2]));
  store.Append(5000, {{db, 10}});
  CHECK(store.SeriesCount() == 1);
  CHECK(ValuesOf(store.Since(0), web) == nullptr);
}

TEST_CASE("the store refuses series beyond its limit and counts them, keeping the ones it has", "[history]") {
  HistoryStore store(4, 2);
  store.Append(1000, {{Named("a"), 1}, {Named("b"), 2}, {Named("c"), 3}});
  CHECK(store.SeriesCount() == 2);
  CHECK(store.RefusedSeries() == 1);
  store.Append(2000, {{Named("a"), 4}, {Named("b"), 5}, {Named("c"), 6}});
  CHECK(*ValuesOf(store.Since(0), Named("a")) == std::vector<float>{1, 4});
}

TEST_CASE("the store's bytes grow with series, not with samples once full", "[history]") {
  HistoryStore store(720);
  SeriesValues values;
  for (int cpu = 0; cpu < 16; ++cpu) values[Named("cpu_core_busy_ratio", {{"cpu", std::to_string(cpu)}})] = 0.5;
  store.Append(1, values);
  const auto one = store.StateBytes();
  CHECK(one >= 720 * 8 + 16 * 720 * 4);
  for (int i = 2; i < 2000; ++i) store.Append(i, values);
  CHECK(store.StateBytes() == one);
}

TEST_CASE("history JSON lines values up with timestamps, gaps as null, labels escaped", "[history]") {
  HistoryStore store(4);
  const auto fan = Named("fan_speed_rpm", {{"fan", "smc \"left\"\n"}});
  store.Append(1700000000000, {{fan, 1200}, {Named("load1"), 0.25}});
  store.Append(1700000005000, {{Named("load1"), 1.5}});
  HistoryStatus status;
  status.interval_seconds = 5;
  status.window_seconds = 3600;
  status.started_ms = 1699999999000;
  const auto json = HistoryJson(store.Since(0), status);
  CHECK_THAT(json, Catch::Contains("\"timestamps\":[1700000000000,1700000005000]"));
  CHECK_THAT(json, Catch::Contains(
                       R"({"name":"fan_speed_rpm","labels":{"fan":"smc \"left\"\u000a"},"values":[1200,null]})"));
  CHECK_THAT(json, Catch::Contains(R"({"name":"load1","labels":{},"values":[0.25,1.5]})"));
  CHECK_THAT(json, Catch::Contains("\"interval_seconds\":5,\"window_seconds\":3600,\"started_ms\":1699999999000"));
  CHECK(json.back() == '\n');
}

TEST_CASE("history JSON of an empty store is valid and empty", "[history]") {
  HistoryStore store(4);
  const auto json = HistoryJson(store.Since(0), HistoryStatus{});
  CHECK_THAT(json, Catch::Contains("\"timestamps\":[],\"series\":[]}"));
}
