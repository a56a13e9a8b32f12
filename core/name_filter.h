#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace re2 {
class RE2;
}

namespace silicon {

/// Drops the names (devices, mount points, file system types) that an exclude pattern matches.
/// The pattern is an RE2 regular expression searched in the name, as node_exporter's Go patterns
/// are (same syntax; anchor it with ^ and $). Names repeat every scrape, so each answer is
/// remembered: a map lookup is cheaper than a match.
class NameFilter {
 public:
  /// An empty pattern keeps every name. Throws std::invalid_argument for a pattern that does not
  /// compile (CheckNamePattern says why first, where a config is read).
  explicit NameFilter(const std::string& exclude_pattern);
  ~NameFilter();

  /// Whether name stays (its pattern does not match it).
  bool Keeps(const std::string& name) const;

 private:
  std::unique_ptr<re2::RE2> exclude_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, bool> answers_;  // bounded: see Keeps
};

/// What is wrong with a pattern, or nullopt when it compiles.
std::optional<std::string> CheckNamePattern(const std::string& pattern);

}  // namespace silicon
