#include "exporter/http/web_auth.h"

#if __has_include(<crypt.h>)
#include <crypt.h>  // libxcrypt (Linux): bcrypt through crypt_rn
#define SILICON_HAVE_BCRYPT 1
#endif

#include <cctype>
#include <cstring>
#include <memory>

namespace silicon {
namespace {

std::optional<std::string> DecodeBase64(std::string_view text) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=') {
      if (i + 2 < text.size()) return std::nullopt;  // '=' only in the last two places
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;
    const auto value = kAlphabet.find(c);
    if (value == std::string_view::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

#ifdef SILICON_HAVE_BCRYPT
bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}
#endif

}  // namespace

bool IsBcryptHash(const std::string& hash) {
  // "$2b$" + two-digit cost + "$" + 22 characters of salt + 31 of hash = 60.
  return hash.size() == 60 && hash[0] == '$' && hash[1] == '2' &&
         (hash[2] == 'a' || hash[2] == 'b' || hash[2] == 'y') && hash[3] == '$' && hash[6] == '$';
}

bool BcryptAvailable() {
#ifdef SILICON_HAVE_BCRYPT
  return true;
#else
  return false;
#endif
}

std::optional<std::pair<std::string, std::string>> ParseBasicAuthorization(std::string_view header) {
  // The scheme's name is case-insensitive (RFC 7617 section 2, RFC 9110 section 11.1).
  constexpr std::string_view kScheme = "basic ";
  if (header.size() > 4096 || header.size() < kScheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (static_cast<char>(std::tolower(static_cast<unsigned char>(header[i]))) != kScheme[i]) return std::nullopt;
  }
  const auto decoded = DecodeBase64(header.substr(kScheme.size()));
  // A NUL would end the password for crypt(): "s3cret\0anything" would pass as "s3cret".
  if (!decoded || decoded->find('\0') != std::string::npos) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

BasicAuth::BasicAuth(std::map<std::string, std::string> users) : users_(std::move(users)) {
  // "$2b$NN$" + 53 characters: a well-formed hash no password matches, at the highest cost in use.
  std::string cost = "10";
  for (const auto& [user, hash] : users_) {
    if (IsBcryptHash(hash) && hash.substr(4, 2) > cost) cost = hash.substr(4, 2);
  }
  stand_in_hash_ = "$2b$" + cost + "$" + std::string(53, 'A');
}

bool BasicAuth::Bcrypt(const std::string& password, const std::string& hash) const {
  ++bcrypt_runs_;
#ifdef SILICON_HAVE_BCRYPT
  auto data = std::make_unique<crypt_data>();  // ~32 KiB: not on a worker thread's stack
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* result = crypt_rn(password.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
  return result != nullptr && result[0] != '*' && ConstantTimeEqual(result, hash);
#else
  (void)password;
  (void)hash;
  return false;  // LoadWebConfig refuses basic_auth_users where there is no bcrypt
#endif
}

bool BasicAuth::Remembered(const std::string& user, const std::string& password) const {
  const std::lock_guard lock(mutex_);
  return verified_.count(user + '\0' + password) > 0;
}

void BasicAuth::RememberFrom(const BasicAuth& previous) {
  if (&previous == this) return;
  const std::scoped_lock lock(mutex_, previous.mutex_);
  for (const auto& key : previous.verified_) {
    const std::string user = key.substr(0, key.find('\0'));
    const auto now = users_.find(user);
    const auto before = previous.users_.find(user);
    if (now != users_.end() && before != previous.users_.end() && now->second == before->second &&
        verified_.size() < 64) {
      verified_.insert(key);
    }
  }
}

bool BasicAuth::Allows(const std::string& user, const std::string& password) const {
  if (password.find('\0') != std::string::npos) return false;  // crypt() would read only its prefix
  const auto it = users_.find(user);
  if (it == users_.end()) {
    Bcrypt(password, stand_in_hash_);  // the same work as a wrong password, and the same answer
    return false;
  }
  const std::string key = user + '\0' + password;
  {
    const std::lock_guard lock(mutex_);
    if (verified_.count(key)) return true;
  }
  if (!Bcrypt(password, it->second)) return false;
  const std::lock_guard lock(mutex_);
  if (verified_.size() < 64) verified_.insert(key);  // bounded: a few scrapers, never unbounded growth
  return true;
}

}  // namespace silicon
