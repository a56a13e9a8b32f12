#pragma once

#include <chrono>
#include <mutex>
#include <string>

namespace silicon {

/// Lets at most `burst` log lines of one kind through per minute, so a hostile client cannot flood
/// the log; what it held back is counted and reported when the next minute starts.
class LogLimiter {
 public:
  LogLimiter(std::string what, int burst) : what_(std::move(what)), burst_(burst) {}

  /// Whether to log this one now.
  bool Allow();

 private:
  const std::string what_;
  const int burst_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point window_start_ = std::chrono::steady_clock::now();
  int logged_ = 0;
  int suppressed_ = 0;
};

}  // namespace silicon
