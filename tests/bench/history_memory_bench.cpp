// What the live page's history holds after an hour on a 16-core Mac with 50 containers: the M3 Max
// exposition (tests/golden/m3-max.prom, 12 P + 4 E cores, built through the macOS converters) with
// its counters advanced each sample, plus 50 containers' CPU and memory, through the sampler's
// own pipeline (ReadHistoryInput, CounterRates, PageSeries, HistoryStore) at the default 5 s for
// one hour (720 samples) and then one more hour (the rings wrapped: nothing may grow).
//
// Prints the store's own count (StateBytes) and, on glibc, what malloc says the heap grew by.
// Usage: history_memory_bench [path/to/m3-max.prom] [containers]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/metric_builder.h"
#include "exporter/exposition.h"
#include "exporter/history/counter_rates.h"
#include "exporter/history/history_json.h"
#include "exporter/history/history_input.h"
#include "exporter/history/page_series.h"
#include "exporter/history/history_store.h"

using namespace silicon;

namespace {

struct Line {
  std::string name;
  std::vector<Label> labels;
  double value;
};

// Just enough of the text format for our own golden file: name{a="b",...} value.
std::vector<Line> ReadExposition(const std::string& path, std::map<std::string, bool>& counters) {
  std::ifstream in(path);
  std::vector<Line> lines;
  std::string text;
  while (std::getline(in, text)) {
    if (text.rfind("# TYPE ", 0) == 0) {
      std::istringstream type(text.substr(7));
      std::string name, kind;
      type >> name >> kind;
      counters[name] = kind == "counter";
      continue;
    }
    if (text.empty() || text[0] == '#') continue;
    Line line;
    const auto brace = text.find('{');
    const auto space = text.rfind(' ');
    line.name = text.substr(0, std::min(brace, space));
    if (brace != std::string::npos) {
      std::string labels = text.substr(brace + 1, text.rfind('}') - brace - 1);
      std::size_t at = 0;
      while (at < labels.size()) {
        const auto equals = labels.find('=', at);
        const auto close = labels.find('"', equals + 2);
        line.labels.push_back({labels.substr(at, equals - at), labels.substr(equals + 2, close - equals - 2)});
        at = close + 2;
      }
    }
    line.value = std::stod(text.substr(space + 1));
    lines.push_back(std::move(line));
  }
  return lines;
}

std::size_t HeapBytes() {
#ifdef __GLIBC__
  return mallinfo2().uordblks;
#else
  return 0;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "tests/golden/m3-max.prom";
  const int containers = argc > 2 ? std::stoi(argv[2]) : 50;
  std::map<std::string, bool> is_counter;
  const auto lines = ReadExposition(path, is_counter);
  if (lines.empty()) {
    std::fprintf(stderr, "no samples in %s\n", path.c_str());
    return 1;
  }
  const auto collection = [&](int step) {
    std::map<std::string, prometheus::MetricFamily> families;
    for (const auto& line : lines) {
      auto [it, added] = families.try_emplace(line.name);
      if (added) it->second = is_counter[line.name] ? CounterFamily(line.name, "") : GaugeFamily(line.name, "");
      // Counters move (a different pace per series); gauges wobble a little.
      AddSample(it->second, is_counter[line.name] ? line.value + step * (1 + static_cast<double>(line.labels.size())) : line.value * (1 + 0.01 * (step % 7)),
                line.labels);
    }
    auto cpu = CounterFamily("silicon_container_cpu_usage_seconds_total", "");
    auto memory = GaugeFamily("silicon_container_memory_working_set_bytes", "");
    for (int c = 0; c < containers; ++c) {
      const std::vector<Label> labels{{"name", "service-" + std::to_string(c)}, {"id", std::to_string(100000000000 + c)}};
      AddSample(cpu, 0.05 * c * step, labels);
      AddSample(memory, 1e8 + 1e6 * c + step, labels);
    }
    std::vector<prometheus::MetricFamily> out;
    for (auto& [name, family] : families) out.push_back(std::move(family));
    out.push_back(cpu);
    out.push_back(memory);
    return out;
  };

  constexpr int kSamples = 720;  // one hour at 5 s
  const std::size_t heap_before = HeapBytes();
  HistoryStore store(kSamples);
  CounterRates rates(3600);
  const auto started = std::chrono::steady_clock::now();
  std::size_t after_one_hour = 0, heap_one_hour = 0;
  for (int step = 0; step < 2 * kSamples; ++step) {
    const auto input = ReadHistoryInput(collection(step));
    store.Append(1'700'000'000'000 + 5000LL * step, PageSeries(input.gauges, rates.Update(input.counters, 5.0 * step)));
    if (step == kSamples - 1) {
      after_one_hour = store.StateBytes();
      heap_one_hour = HeapBytes();
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("series kept: %zu (cores 16, containers %d)\n", store.SeriesCount(), containers);
  std::printf("state after 1 h (720 samples at 5 s): %zu bytes (%.0f KiB)\n", after_one_hour, static_cast<double>(after_one_hour) / 1024.0);
  std::printf("state after 2 h (rings wrapped):      %zu bytes\n", store.StateBytes());
  if (heap_one_hour) {
    std::printf("malloc'd heap growth after 1 h: %zu bytes, after 2 h: %zu bytes (store + counter memory)\n",
                heap_one_hour - heap_before, HeapBytes() - heap_before);
  }
  const auto json = HistoryJson(store.Since(0), HistoryStatus{});
  std::printf("/api/history of the full hour: %zu bytes of JSON, %zu gzipped\n", json.size(), Gzip(json).value_or("").size());
  std::printf("pipeline CPU (build families, extract, rates, store): %.1f us per sample\n", 1e6 * seconds / (2 * kSamples));
  return 0;
}
