#include "core/metric_builder.h"

#include <utility>

namespace silicon {

prometheus::MetricFamily GaugeFamily(std::string name, std::string help) {
  return {std::move(name), std::move(help), prometheus::MetricType::Gauge, {}};
}

prometheus::MetricFamily CounterFamily(std::string name, std::string help) {
  return {std::move(name), std::move(help), prometheus::MetricType::Counter, {}};
}

void AddSample(prometheus::MetricFamily& family, double value, std::vector<Label> labels) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  if (family.type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
}

void AppendSingle(std::vector<prometheus::MetricFamily>& out, prometheus::MetricFamily family,
                  const std::optional<double>& value) {
  if (!value) return;
  AddSample(family, *value);
  out.push_back(std::move(family));
}

void AppendIfNotEmpty(std::vector<prometheus::MetricFamily>& out, prometheus::MetricFamily family) {
  if (!family.metric.empty()) out.push_back(std::move(family));
}

}  // namespace silicon
