#include "core/name_filter.h"

#include <stdexcept>

namespace silicon {
namespace {

// Names seen by one filter: devices, mounts, interfaces. Containers come and go with veth pairs of
// new names, so past this many the memory is forgotten and starts again.
constexpr std::size_t kMaxRemembered = 4096;

}  // namespace

NameFilter::NameFilter(const std::string& exclude_pattern) {
  if (exclude_pattern.empty()) return;
  try {
    exclude_.emplace(exclude_pattern, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& error) {
    throw std::invalid_argument("pattern '" + exclude_pattern + "' does not compile: " + error.what());
  }
}

bool NameFilter::Keeps(const std::string& name) const {
  if (!exclude_) return true;
  const std::lock_guard lock(mutex_);
  if (const auto it = answers_.find(name); it != answers_.end()) return it->second;
  if (answers_.size() >= kMaxRemembered) answers_.clear();
  const bool keeps = !std::regex_search(name, *exclude_);
  answers_.emplace(name, keeps);
  return keeps;
}

std::optional<std::string> CheckNamePattern(const std::string& pattern) {
  try {
    std::regex compiled(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    return std::string("is not a valid regular expression (") + error.what() + ")";
  }
  return std::nullopt;
}

}  // namespace silicon
