#include "exporter/http/log_limiter.h"

#include "core/log.h"

namespace silicon {

bool LogLimiter::Allow() {
  const std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - window_start_ > std::chrono::minutes(1)) {
    if (suppressed_ > 0) log::Warn("more messages suppressed", {{"what", what_}, {"suppressed", suppressed_}});
    window_start_ = now;
    logged_ = suppressed_ = 0;
  }
  if (logged_ < burst_) {
    ++logged_;
    return true;
  }
  ++suppressed_;
  return false;
}

}  // namespace silicon
