#include "exporter/text_format.h"

#include <prometheus/text_serializer.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace silicon {
namespace {

// prometheus-cpp writes doubles with ostream << at precision 16 (what printf's %.16g gives):
// whole numbers below 1e15 print as integers, the rest in %g style. to_chars is specified to
// format like printf, without the locale and several times faster.
void AppendValue(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "Nan";
    return;
  }
  if (std::isinf(value)) {
    out += value < 0 ? "-Inf" : "+Inf";
    return;
  }
  char buffer[32];
  if (value == std::trunc(value) && std::fabs(value) < 1e15 && !(value == 0 && std::signbit(value))) {
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, static_cast<long long>(value));
    out.append(buffer, result.ptr);
  } else {
#if defined(__APPLE__)
    // Apple's libc++ has floating-point to_chars only from macOS 13.3; we target 13.0. snprintf
    // formats in the "C" locale here: the exporter never calls setlocale.
    const int length = std::snprintf(buffer, sizeof buffer, "%.16g", value);
    out.append(buffer, static_cast<std::size_t>(length > 0 ? length : 0));
#else
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, 16);
    out.append(buffer, result.ptr);
#endif
  }
}

// Label values: backslash, double quote and newline escaped (exposition format 0.0.4).
void AppendLabelValue(std::string& out, std::string_view value) {
  for (const char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

// HELP text: backslash and newline escaped.
void AppendHelp(std::string& out, std::string_view help) {
  for (const char c : help) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

const char* TypeName(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter: return "counter";
    case prometheus::MetricType::Gauge: return "gauge";
    default: return "untyped";  // summaries and histograms go through prometheus-cpp
  }
}

double SimpleValue(const prometheus::MetricFamily& family, const prometheus::ClientMetric& metric) {
  switch (family.type) {
    case prometheus::MetricType::Counter: return metric.counter.value;
    case prometheus::MetricType::Gauge: return metric.gauge.value;
    default: return metric.untyped.value;
  }
}

}  // namespace

void AppendTextFormat(std::string& out, const std::vector<prometheus::MetricFamily>& families) {
  for (const auto& family : families) {
    if (family.type == prometheus::MetricType::Summary || family.type == prometheus::MetricType::Histogram) {
      out += prometheus::TextSerializer().Serialize({family});
      continue;
    }
    if (!family.help.empty()) {
      out.append("# HELP ").append(family.name).append(" ");
      AppendHelp(out, family.help);
      out += '\n';
    }
    out.append("# TYPE ").append(family.name).append(" ").append(TypeName(family.type)).append("\n");
    for (const auto& metric : family.metric) {
      out += family.name;
      if (!metric.label.empty()) {
        out += '{';
        for (std::size_t i = 0; i < metric.label.size(); ++i) {
          if (i > 0) out += ',';
          out.append(metric.label[i].name).append("=\"");
          AppendLabelValue(out, metric.label[i].value);
          out += '"';
        }
        out += '}';
      }
      out += ' ';
      AppendValue(out, SimpleValue(family, metric));
      if (metric.timestamp_ms != 0) out.append(" ").append(std::to_string(metric.timestamp_ms));
      out += '\n';
    }
  }
}

}  // namespace silicon
