#pragma once

#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace silicon {

/// One line the live page draws, such as cpu_busy_ratio{core_type="performance"}.
struct SeriesId {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // in the order the page reads them

  // Not a defaulted <=>: the libc++ of the macOS 13 SDK has no <=> for std::string yet
  // (tests/macos/compile_check.sh).
  bool operator<(const SeriesId& other) const { return std::tie(name, labels) < std::tie(other.name, other.labels); }
  bool operator==(const SeriesId& other) const { return name == other.name && labels == other.labels; }
};

/// A value per series at one moment (a gauge as read, or a rate already computed).
using SeriesValues = std::map<SeriesId, double>;

}  // namespace silicon
