#pragma once

#include <optional>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace silicon {

using Label = prometheus::ClientMetric::Label;

/// Starts an empty gauge family.
prometheus::MetricFamily GaugeFamily(std::string name, std::string help);

/// Starts an empty counter family; the name must end in _total.
prometheus::MetricFamily CounterFamily(std::string name, std::string help);

/// Appends one sample to a gauge or counter family.
void AddSample(prometheus::MetricFamily& family, double value, std::vector<Label> labels = {});

/// Appends the family with one unlabelled sample when there is a value; nothing otherwise
/// (an unknown reading is no series, never a zero).
void AppendSingle(std::vector<prometheus::MetricFamily>& out, prometheus::MetricFamily family,
                  const std::optional<double>& value);

/// Appends the family to out unless it holds no samples (an empty family is noise in the output).
void AppendIfNotEmpty(std::vector<prometheus::MetricFamily>& out, prometheus::MetricFamily family);

}  // namespace silicon
