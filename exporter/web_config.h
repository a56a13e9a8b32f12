#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include "exporter/http/tls_config.h"

namespace silicon {

/// A --web.config.file that cannot be used; main exits 2 with its message.
class WebConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The exporter-toolkit web configuration this exporter understands.
struct WebConfig {
  std::map<std::string, std::string> basic_auth_users;  // user -> bcrypt hash
  std::optional<TlsServerConfig> tls;
};

/// Reads an exporter-toolkit style web config file; throws WebConfigError naming the key.
WebConfig LoadWebConfig(const std::string& path);

}  // namespace silicon
