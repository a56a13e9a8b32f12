#include "exporter/http/login_throttle.h"

namespace silicon {
namespace {

// Bounds the memory a flood of addresses (IPv6 gives a client many) can take.
constexpr std::size_t kMaxTracked = 4096;

int CountOf(const std::map<std::string, int, std::less<>>& counts, std::string_view key) {
  const auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

void Add(std::map<std::string, int, std::less<>>& counts, std::string_view key) {
  const auto it = counts.find(key);
  if (it != counts.end()) {
    ++it->second;
  } else if (counts.size() < kMaxTracked) {
    counts.emplace(std::string(key), 1);
  }
}

}  // namespace

void LoginThrottle::Roll(std::chrono::steady_clock::time_point now) {
  if (now - window_start_ < std::chrono::minutes(1)) return;
  window_start_ = now;
  by_address_.clear();
}

bool LoginThrottle::Blocked(std::string_view address) {
  const std::lock_guard lock(mutex_);
  Roll(std::chrono::steady_clock::now());
  return CountOf(by_address_, address) >= per_address_;
}

void LoginThrottle::Failed(std::string_view address) {
  const std::lock_guard lock(mutex_);
  Roll(std::chrono::steady_clock::now());
  Add(by_address_, address);
}

}  // namespace silicon
