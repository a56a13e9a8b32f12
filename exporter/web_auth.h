#pragma once

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
  explicit BasicAuth(std::map<std::string, std::string> users) : users_(std::move(users)) {}
  bool Allows(const std::string& user, const std::string& password) const;
  bool Enabled() const { return !users_.empty(); }

 private:
  std::map<std::string, std::string> users_;
  mutable std::mutex mutex_;
  mutable std::set<std::string> verified_;  // user '\0' password, for as long as the process runs
};

/// Whether this build can check bcrypt hashes (libxcrypt on Linux).
bool BcryptAvailable();

/// True when hash is a bcrypt hash ($2a$, $2b$ or $2y$ with a cost and 53 more characters).
bool IsBcryptHash(const std::string& hash);

}  // namespace silicon
