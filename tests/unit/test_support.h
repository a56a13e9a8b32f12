#pragma once

#include <prometheus/metric_family.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/host_paths.h"

// CMake passes the absolute fixture folder; a bare compile (tests/macos/compile_check.sh) runs from the root.
#ifndef SILICON_FIXTURES
#define SILICON_FIXTURES "tests/fixtures"
#endif

namespace silicon::test {

/// The fixture tree called name (tests/fixtures/<name>/{proc,sys}).
inline HostPaths FixturePaths(const std::string& name) {
  const std::filesystem::path root = std::filesystem::path(SILICON_FIXTURES) / name;
  return HostPaths{root / "proc", root / "sys", root};
}

/// The value of the sample of family name whose labels include all of want; nullopt if none.
inline std::optional<double> FindValue(const std::vector<prometheus::MetricFamily>& families,
                                       const std::string& name,
                                       const std::map<std::string, std::string>& want = {}) {
  for (const auto& family : families) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      std::size_t matched = 0;
      for (const auto& label : metric.label) {
        const auto it = want.find(label.name);
        if (it != want.end() && it->second == label.value) ++matched;
      }
      if (matched != want.size()) continue;
      return family.type == prometheus::MetricType::Counter ? metric.counter.value : metric.gauge.value;
    }
  }
  return std::nullopt;
}

/// How many samples family name holds (0 when the family is absent).
inline std::size_t CountSamples(const std::vector<prometheus::MetricFamily>& families, const std::string& name) {
  for (const auto& family : families) {
    if (family.name == name) return family.metric.size();
  }
  return 0;
}

}  // namespace silicon::test
