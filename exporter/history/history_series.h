#pragma once

#include <compare>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace silicon {

/// One line the live page draws, such as cpu_busy_ratio{core_type="performance"}.
struct SeriesId {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;  // in the order the page reads them

  auto operator<=>(const SeriesId&) const = default;
};

/// A value per series at one moment (a gauge as read, or a rate already computed).
using SeriesValues = std::map<SeriesId, double>;

}  // namespace silicon
