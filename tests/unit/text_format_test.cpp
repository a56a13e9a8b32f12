#include "tests/unit/catch.h"

#include <prometheus/text_serializer.h>

#include <cmath>
#include <limits>
#include <random>

#include "core/metric_builder.h"
#include "exporter/text_format.h"

using namespace silicon;

namespace {

std::string Theirs(const std::vector<prometheus::MetricFamily>& families) {
  return prometheus::TextSerializer().Serialize(families);
}

std::string Ours(const std::vector<prometheus::MetricFamily>& families) {
  std::string out;
  AppendTextFormat(out, families);
  return out;
}

}  // namespace

TEST_CASE("text format: byte for byte what prometheus-cpp writes for gauges and counters", "[exposition]") {
  auto gauge = GaugeFamily("silicon_temperature_celsius", "Temperature of each sensor.");
  AddSample(gauge, 71.5, {{"chip", "coretemp"}, {"sensor", "Package id 0"}});
  AddSample(gauge, -128, {{"chip", "thinkpad"}, {"sensor", "temp3"}});
  auto counter = CounterFamily("silicon_cpu_seconds_total", "Seconds each CPU spent in each mode.");
  AddSample(counter, 1234567.89, {{"cpu", "0"}, {"core_type", "performance"}, {"mode", "user"}});
  AddSample(counter, 0.07, {{"cpu", "1"}, {"core_type", "efficiency"}, {"mode", "idle"}});
  auto unlabelled = GaugeFamily("silicon_load1", "1-minute load average.");
  AddSample(unlabelled, 0.5);
  auto no_help = GaugeFamily("silicon_x", "");
  AddSample(no_help, 1);
  const std::vector<prometheus::MetricFamily> families = {gauge, counter, unlabelled, no_help};
  CHECK(Ours(families) == Theirs(families));
}

TEST_CASE("text format: every kind of double formats as prometheus-cpp's", "[exposition]") {
  std::vector<double> values = {0, -0.0, 1, -1, 0.1, 0.07, 1e-7, 123456789012345.0, 1e15, 9007199254740993.0,
                                1e16, 1e21, 4294967296.0 * 4294967296.0, 2.5e-300, 1.7976931348623157e308,
                                std::numeric_limits<double>::denorm_min(), 48.0 * 1024 * 1024 * 1024,
                                std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
                                std::nan("")};
  std::mt19937_64 random(20261202);
  std::uniform_real_distribution<double> exponent(-20, 20);
  for (int i = 0; i < 2000; ++i) {
    values.push_back(std::pow(10.0, exponent(random)) * (i % 2 ? 1 : -1));
    values.push_back(std::floor(std::pow(10.0, exponent(random) + 20)));  // whole numbers up to 1e40
  }
  auto family = GaugeFamily("v", "values");
  for (const double value : values) AddSample(family, value);
  CHECK(Ours({family}) == Theirs({family}));
}

TEST_CASE("text format: label values and help escaped as the format says", "[exposition]") {
  auto family = GaugeFamily("silicon_filesystem_size_bytes", "Size\\of a \"file\nsystem\".");
  AddSample(family, 1, {{"mountpoint", "/media/a \"b\" \\c"}});
  AddSample(family, 2, {{"mountpoint", "/media/line\nbreak"}});
  const auto text = Ours({family});
  // HELP escapes backslash and newline; label values backslash, quote and newline (as \n).
  CHECK(text.find("# HELP silicon_filesystem_size_bytes Size\\\\of a \"file\\nsystem\".\n") == 0);
  CHECK(text.find("{mountpoint=\"/media/a \\\"b\\\" \\\\c\"} 1\n") != std::string::npos);
  CHECK(text.find("{mountpoint=\"/media/line\\nbreak\"} 2\n") != std::string::npos);
  // Without a newline in a label value, prometheus-cpp agrees byte for byte.
  auto plain = GaugeFamily("g", "h");
  AddSample(plain, 1, {{"mountpoint", "/media/a \"b\" \\c"}});
  CHECK(Ours({plain}) == Theirs({plain}));
}

TEST_CASE("text format: summaries and histograms as prometheus-cpp writes them", "[exposition]") {
  prometheus::MetricFamily summary{"s_seconds", "A summary.", prometheus::MetricType::Summary, {}};
  prometheus::ClientMetric metric;
  metric.summary.sample_count = 3;
  metric.summary.sample_sum = 1.5;
  metric.summary.quantile = {{0.5, 0.4}, {0.99, 0.9}};
  summary.metric.push_back(metric);
  prometheus::MetricFamily histogram{"h_seconds", "A histogram.", prometheus::MetricType::Histogram, {}};
  prometheus::ClientMetric hmetric;
  hmetric.histogram.sample_count = 4;
  hmetric.histogram.sample_sum = 2;
  hmetric.histogram.bucket = {{1, 0.1}, {3, 1}};
  hmetric.label = {{"path", "/metrics"}};
  histogram.metric.push_back(hmetric);
  CHECK(Ours({summary, histogram}) == Theirs({summary, histogram}));
}
