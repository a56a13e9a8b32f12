#include "tests/unit/catch.h"

#include <chrono>
#include <thread>

#include "core/metric_builder.h"
#include "core/scrape_collectable.h"
#include "exporter/history/counter_rates.h"
#include "exporter/history/history_input.h"
#include "exporter/history/page_series.h"
#include "exporter/history/history_sampler.h"

using namespace silicon;

namespace {

SeriesId Named(std::string name, std::vector<std::pair<std::string, std::string>> labels = {}) {
  return SeriesId{std::move(name), std::move(labels)};
}

// /proc/stat-like counters for one core: busy and idle seconds so far.
void AddCore(std::vector<prometheus::MetricFamily>& out, const std::string& cpu, const std::string& type, double user,
             double idle) {
  if (out.empty()) out.push_back(CounterFamily("silicon_cpu_seconds_total", "CPU time."));
  AddSample(out[0], user, {{"cpu", cpu}, {"core_type", type}, {"mode", "user"}});
  AddSample(out[0], idle, {{"cpu", cpu}, {"core_type", type}, {"mode", "idle"}});
  AddSample(out[0], 0, {{"cpu", cpu}, {"core_type", type}, {"mode", "iowait"}});
}

std::vector<prometheus::MetricFamily> Cpus(double step) {
  std::vector<prometheus::MetricFamily> out;
  AddCore(out, "0", "performance", 100 + 0.75 * step, 50 + 0.25 * step);
  AddCore(out, "1", "performance", 100 + 0.25 * step, 50 + 0.75 * step);
  AddCore(out, "2", "efficiency", 10 + 0.1 * step, 90 + 0.9 * step);
  return out;
}

SeriesValues Step(CounterRates& rates, const std::vector<prometheus::MetricFamily>& families, double seconds) {
  const auto input = ReadHistoryInput(families);
  return PageSeries(input.gauges, rates.Update(input.counters, seconds));
}

}  // namespace

TEST_CASE("counter rates: increase over time, nothing for a first reading", "[history]") {
  CounterRates rates;
  CHECK(rates.Update({{Named("x"), 100}}, 10).empty());
  const auto second = rates.Update({{Named("x"), 150}}, 15);
  CHECK(second.at(Named("x")) == Approx(10));
}

TEST_CASE("counter rates: a reading below the last is a reset, counted from zero as rate() does", "[history]") {
  CounterRates rates;
  rates.Update({{Named("x"), 1000}}, 0);
  const auto after_reset = rates.Update({{Named("x"), 30}}, 10);
  CHECK(after_reset.at(Named("x")) == Approx(3));  // not (30 - 1000) / 10
  CHECK(rates.Update({{Named("x"), 80}}, 20).at(Named("x")) == Approx(5));
}

TEST_CASE("counter rates: a counter missing for a while spans the gap when it returns", "[history]") {
  CounterRates rates;
  rates.Update({{Named("x"), 0}, {Named("y"), 0}}, 0);
  const auto failed = rates.Update({{Named("y"), 5}}, 5);  // x's collector failed
  CHECK(failed.count(Named("x")) == 0);
  const auto back = rates.Update({{Named("x"), 100}, {Named("y"), 10}}, 10);
  CHECK(back.at(Named("x")) == Approx(10));  // 100 over the 10 s since its last reading
  CHECK(back.at(Named("y")) == Approx(1));
}

TEST_CASE("counter rates forget a counter unseen for longer than they remember", "[history]") {
  CounterRates rates(60);
  rates.Update({{Named("gone"), 5}, {Named("stays"), 0}}, 0);
  rates.Update({{Named("stays"), 1}}, 61);
  CHECK(rates.Remembered() == 1);
  CHECK(rates.Update({{Named("gone"), 50}, {Named("stays"), 2}}, 62).count(Named("gone")) == 0);
}

TEST_CASE("CPU busy share per core and per core type from /proc/stat-like counters", "[history]") {
  CounterRates rates;
  Step(rates, Cpus(0), 0);
  const auto page = Step(rates, Cpus(5), 5);
  CHECK(page.at(Named("cpu_core_busy_ratio", {{"cpu", "0"}, {"core_type", "performance"}})) == Approx(0.75));
  CHECK(page.at(Named("cpu_core_busy_ratio", {{"cpu", "2"}, {"core_type", "efficiency"}})) == Approx(0.1));
  CHECK(page.at(Named("cpu_busy_ratio", {{"core_type", "performance"}})) == Approx(0.5));
  CHECK(page.at(Named("cpu_busy_ratio", {{"core_type", "efficiency"}})) == Approx(0.1));
}

TEST_CASE("power per domain, cluster frequency, GPU busy and device totals from counters", "[history]") {
  const auto families = [](double t) {
    std::vector<prometheus::MetricFamily> out;
    auto energy = CounterFamily("silicon_energy_joules_total", "J.");
    AddSample(energy, 9.8 * t, {{"domain", "cpu"}});
    AddSample(energy, 4 * t, {{"domain", "core"}, {"zone", "intel-rapl:0:0"}});
    out.push_back(energy);
    auto active = CounterFamily("silicon_cpu_cluster_active_seconds_total", "s.");
    AddSample(active, 0.5 * t, {{"cluster", "PCPU1"}, {"core_type", "performance"}});
    out.push_back(active);
    auto cycles = CounterFamily("silicon_cpu_cluster_cycles_total", "cycles.");
    AddSample(cycles, 0.5 * 3e9 * t, {{"cluster", "PCPU1"}, {"core_type", "performance"}});
    out.push_back(cycles);
    auto gpu = CounterFamily("silicon_gpu_active_seconds_total", "s.");
    AddSample(gpu, 0.6 * t, {{"gpu", "0"}});
    out.push_back(gpu);
    auto rx = CounterFamily("silicon_network_receive_bytes_total", "B.");
    AddSample(rx, 1000 * t, {{"device", "eth0"}});
    AddSample(rx, 500 * t, {{"device", "wlan0"}});
    AddSample(rx, 1e9 * t, {{"device", "lo"}});  // loopback never leaves the machine
    out.push_back(rx);
    return out;
  };
  CounterRates rates;
  Step(rates, families(1), 1);
  const auto page = Step(rates, families(3), 3);
  CHECK(page.at(Named("power_watts", {{"domain", "cpu"}})) == Approx(9.8));
  CHECK(page.at(Named("power_watts", {{"domain", "core (intel-rapl:0:0)"}})) == Approx(4));
  CHECK(page.at(Named("cluster_frequency_hertz", {{"cluster", "PCPU1"}})) == Approx(3e9));
  CHECK(page.at(Named("gpu_busy_ratio", {{"gpu", "0"}})) == Approx(0.6));
  CHECK(page.at(Named("network_receive_bytes_per_second")) == Approx(1500));
}

TEST_CASE("containers come and go under their names; a recreated one is a new counter", "[history]") {
  const auto families = [](std::vector<std::tuple<std::string, std::string, double, double>> containers) {
    auto cpu = CounterFamily("silicon_container_cpu_usage_seconds_total", "s.");
    auto memory = GaugeFamily("silicon_container_memory_working_set_bytes", "B.");
    for (const auto& [name, id, seconds, bytes] : containers) {
      AddSample(cpu, seconds, {{"name", name}, {"id", id}});
      AddSample(memory, bytes, {{"name", name}, {"id", id}});
    }
    return std::vector<prometheus::MetricFamily>{cpu, memory};
  };
  CounterRates rates;
  Step(rates, families({{"web", "aaa", 10, 100}}), 0);
  auto page = Step(rates, families({{"web", "aaa", 20, 100}, {"db", "bbb", 50, 300}}), 10);
  CHECK(page.at(Named("container_cpu_cores", {{"name", "web"}})) == Approx(1));
  CHECK(page.count(Named("container_cpu_cores", {{"name", "db"}})) == 0);  // first seen: no rate yet
  CHECK(page.at(Named("container_memory_bytes", {{"name", "db"}})) == 300);
  // web recreated (new id, counter back near zero): no rate across the two, no negative spike.
  page = Step(rates, families({{"web", "ccc", 1, 50}, {"db", "bbb", 55, 300}}), 20);
  CHECK(page.count(Named("container_cpu_cores", {{"name", "web"}})) == 0);
  CHECK(page.at(Named("container_cpu_cores", {{"name", "db"}})) == Approx(0.5));
  page = Step(rates, families({{"db", "bbb", 60, 300}}), 30);  // web gone
  CHECK(page.count(Named("container_memory_bytes", {{"name", "web"}})) == 0);
}

TEST_CASE("at most kMaxHistoryContainers containers, the largest by memory", "[history]") {
  auto memory = GaugeFamily("silicon_container_memory_working_set_bytes", "B.");
  for (std::size_t i = 0; i < kMaxHistoryContainers + 10; ++i) {
    AddSample(memory, static_cast<double>(i), {{"name", "c" + std::to_string(i)}, {"id", std::to_string(i)}});
  }
  const auto input = ReadHistoryInput({memory});
  const auto page = PageSeries(input.gauges, {});
  CHECK(page.size() == kMaxHistoryContainers);
  CHECK(page.count(Named("container_memory_bytes", {{"name", "c0"}})) == 0);
  CHECK(page.count(Named("container_memory_bytes", {{"name", "c73"}})) == 1);
}

namespace {

// CPU counters moving 1 s per collection; fails (throws) on the calls it is told to.
class FlakyCpu : public Collector {
 public:
  explicit FlakyCpu(std::atomic<bool>& failing) : failing_(failing) {}
  Families Collect() override {
    if (failing_) throw std::runtime_error("sensor gone");
    ++step_;
    return Cpus(step_);
  }

 private:
  std::atomic<bool>& failing_;
  double step_ = 0;
};

class Load : public Collector {
 public:
  Families Collect() override {
    Families out;
    AppendSingle(out, GaugeFamily("silicon_load1", "load."), 1.25);
    return out;
  }
};

}  // namespace

TEST_CASE("the sampler keeps drawing what works while one collector fails, and resumes it", "[history]") {
  std::atomic<bool> failing{false};
  std::vector<NamedCollector> collectors;
  collectors.push_back({"cpu", std::make_unique<FlakyCpu>(failing)});
  collectors.push_back({"loadavg", std::make_unique<Load>()});
  auto scrape = std::make_shared<ScrapeCollectable>(std::move(collectors));
  HistorySampler sampler(scrape, std::chrono::milliseconds(100), std::chrono::seconds(60));
  const auto wait_for_samples = [&](std::uint64_t n) {
    for (int i = 0; i < 100 && sampler.Store().Samples() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(sampler.Store().Samples() >= n);
  };
  wait_for_samples(3);
  failing = true;
  const auto failed_from = sampler.Store().Samples();
  wait_for_samples(failed_from + 3);
  failing = false;
  const auto back_from = sampler.Store().Samples();
  wait_for_samples(back_from + 3);

  const auto window = sampler.Store().Since(0);
  const auto values = [&](const SeriesId& id) {
    for (const auto& [series, v] : window.series) {
      if (series == id) return v;
    }
    return std::vector<float>{};
  };
  const auto load = values(Named("load1"));
  REQUIRE(load.size() == window.timestamps_ms.size());
  for (const auto v : load) CHECK(v == 1.25f);  // never a gap: its collector never failed
  const auto busy = values(Named("cpu_busy_ratio", {{"core_type", "performance"}}));
  REQUIRE(busy.size() == load.size());
  std::size_t gaps = 0, points = 0;
  for (const auto v : busy) {
    if (std::isnan(v)) {
      ++gaps;
    } else {
      ++points;
      CHECK(v == Approx(0.5));  // never a spike from the failure: the rate spans the gap
    }
  }
  CHECK(gaps >= 3);    // the first sample (no rate yet) and the failed ones
  CHECK(points >= 4);  // before and after
  CHECK_THAT(sampler.Json(0), Catch::Contains("\"name\":\"cpu_busy_ratio\""));
}
