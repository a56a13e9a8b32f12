#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace silicon {

/// Counts failed logins per client address over a minute, so that guessing passwords stops
/// costing a bcrypt check (~50 ms of a core) per try: past the limit an attempt from that address
/// is refused before bcrypt runs. Only the address counts, never the user name: a count per user
/// let guessers at a few addresses lock the real scraper out of its own account (429 from every
/// address), whose correct password must always get in.
class LoginThrottle {
 public:
  explicit LoginThrottle(int per_address = 10) : per_address_(per_address) {}

  /// Whether this address has failed too often this minute.
  bool Blocked(std::string_view address);
  /// Records one failed login from this address.
  void Failed(std::string_view address);

 private:
  void Roll(std::chrono::steady_clock::time_point now);  // a new window each minute

  const int per_address_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point window_start_ = std::chrono::steady_clock::now();
  std::map<std::string, int, std::less<>> by_address_;
};

}  // namespace silicon
