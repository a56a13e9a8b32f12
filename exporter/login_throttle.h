#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace silicon {

/// Counts failed logins per client address and per user name over a minute, so that guessing
/// passwords stops costing a bcrypt check (~50 ms of a core) per try: past the limits an attempt
/// is refused before bcrypt runs. Credentials that passed before are checked first, from memory,
/// so failed logins never lock out a scraper that already logged in.
class LoginThrottle {
 public:
  LoginThrottle(int per_address = 10, int per_user = 30) : per_address_(per_address), per_user_(per_user) {}

  /// Whether this address or user name has failed too often this minute.
  bool Blocked(std::string_view address, std::string_view user);
  /// Records one failed login.
  void Failed(std::string_view address, std::string_view user);

 private:
  void Roll(std::chrono::steady_clock::time_point now);  // a new window each minute

  const int per_address_;
  const int per_user_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point window_start_ = std::chrono::steady_clock::now();
  std::map<std::string, int, std::less<>> by_address_;
  std::map<std::string, int, std::less<>> by_user_;
};

}  // namespace silicon
