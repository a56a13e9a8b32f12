#include "core/name_filter.h"

#include <re2/re2.h>

#include <algorithm>
#include <stdexcept>

namespace silicon {
namespace {

// Names seen by one filter: devices, mounts, interfaces. Containers come and go with veth pairs of
// new names, so past this many the memory is forgotten and starts again.
constexpr std::size_t kMaxRemembered = 4096;

// Go's regexp/syntax refuses nesting deeper than this ("expression nests too deeply", maxHeight in
// Go 1.19's parse.go), so no node_exporter pattern needs more. RE2 itself parses and matches any
// depth without recursion (std::regex, used before, overflowed the stack at about 30 000).
constexpr std::size_t kMaxNesting = 1000;

// How deep the groups of a pattern RE2 has accepted nest: escapes, \Q...\E and bracket expressions
// hold parentheses that are literal.
std::size_t NestingDepth(const std::string& pattern) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      if (pattern[i + 1] == 'Q') {
        const auto end = pattern.find("\\E", i + 2);
        if (end == std::string::npos) break;
        i = end + 1;
      } else {
        ++i;
      }
    } else if (c == '[') {
      // A ']' first (after an optional '^') is literal; [:alpha:] classes hold no ']' of their own.
      std::size_t j = i + 1;
      if (j < pattern.size() && pattern[j] == '^') ++j;
      if (j < pattern.size() && pattern[j] == ']') ++j;
      for (; j < pattern.size() && pattern[j] != ']'; ++j) {
        if (pattern[j] == '\\') {
          ++j;
        } else if (pattern[j] == '[' && j + 1 < pattern.size() && pattern[j + 1] == ':') {
          const auto end = pattern.find(":]", j + 2);
          if (end != std::string::npos) j = end + 1;
        }
      }
      i = j;
    } else if (c == '(') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ')' && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

RE2::Options QuietOptions() {
  RE2::Options options;
  options.set_log_errors(false);  // the error comes back to the caller, who says where it was
  return options;
}

}  // namespace

NameFilter::NameFilter(const std::string& exclude_pattern) {
  if (exclude_pattern.empty()) return;
  if (const auto problem = CheckNamePattern(exclude_pattern)) {
    throw std::invalid_argument("pattern '" + exclude_pattern.substr(0, 64) + "' " + *problem);
  }
  exclude_ = std::make_unique<RE2>(exclude_pattern, QuietOptions());
}

NameFilter::~NameFilter() = default;

bool NameFilter::Keeps(const std::string& name) const {
  if (!exclude_) return true;
  const std::lock_guard lock(mutex_);
  if (const auto it = answers_.find(name); it != answers_.end()) return it->second;
  if (answers_.size() >= kMaxRemembered) answers_.clear();
  const bool keeps = !RE2::PartialMatch(name, *exclude_);
  answers_.emplace(name, keeps);
  return keeps;
}

std::optional<std::string> CheckNamePattern(const std::string& pattern) {
  const RE2 compiled(pattern, QuietOptions());
  // RE2 quotes the offending part, which may be most of a long pattern.
  if (!compiled.ok()) return "is not a valid regular expression (" + compiled.error().substr(0, 120) + ")";
  if (const auto depth = NestingDepth(pattern); depth > kMaxNesting) {
    return "nests groups " + std::to_string(depth) + " deep, more than the " + std::to_string(kMaxNesting) +
           " a regular expression may (as in node_exporter's Go regexp)";
  }
  return std::nullopt;
}

}  // namespace silicon
