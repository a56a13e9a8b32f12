#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace silicon {

/// The user and password of an "Authorization: Basic ..." header; nullopt when malformed.
std::optional<std::pair<std::string, std::string>> ParseBasicAuthorization(std::string_view header);

/// Checks credentials against bcrypt hashes (libcrypt's crypt_rn, compared in constant time).
/// bcrypt is slow by design (~50 ms at cost 10), so credentials that passed are remembered in
/// memory, as exporter-toolkit does, or every scrape would pay for it.
class BasicAuth {
 public:
  explicit BasicAuth(std::map<std::string, std::string> users);
  /// An unknown user is checked against a stand-in hash of the same cost, so the time of the
  /// answer does not tell which user names exist.
  bool Allows(const std::string& user, const std::string& password) const;
  /// Whether these credentials passed before (no bcrypt: a lookup in memory).
  bool Remembered(const std::string& user, const std::string& password) const;
  /// Takes over what passed under the previous configuration for users whose hash is unchanged:
  /// a reload that forgot them made every scraper pay bcrypt again, and meet the throttle.
  void RememberFrom(const BasicAuth& previous);
  bool Enabled() const { return !users_.empty(); }
  /// How many bcrypt checks ran (tests count them).
  std::size_t BcryptRuns() const { return bcrypt_runs_.load(); }

 private:
  bool Bcrypt(const std::string& password, const std::string& hash) const;

  std::map<std::string, std::string> users_;
  std::string stand_in_hash_;  // for unknown users: the costliest of the users' hashes, another salt
  mutable std::atomic<std::size_t> bcrypt_runs_{0};
  mutable std::mutex mutex_;
  mutable std::set<std::string> verified_;  // user '\0' password, for as long as the process runs
};

/// Whether this build can check bcrypt hashes (libxcrypt on Linux).
bool BcryptAvailable();

/// True when hash is a bcrypt hash ($2a$, $2b$ or $2y$ with a cost and 53 more characters).
bool IsBcryptHash(const std::string& hash);

}  // namespace silicon
