#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "exporter/http/tls_config.h"

namespace silicon {

/// A tls_server_config that OpenSSL refuses (a key that does not match its certificate, a file that
/// is not PEM): a configuration error, exit 2 like every other.
class TlsSetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Sets up the server's SSL_CTX from tls_server_config: certificate chain and key, client
/// certificate policy and CA, protocol versions. Returns what went wrong, or an empty string when
/// the context is ready.
std::string ConfigureTlsContext(void* ssl_ctx, const TlsServerConfig& tls);

/// What OpenSSL refuses in a tls_server_config: the key at fault and why.
struct TlsProblem {
  std::string key;      // "cert_file", "key_file", "client_ca_file", "min_version"
  std::string message;  // the file or version, then OpenSSL's reason
};

/// Sets up a context exactly as the server will (so a config check catches what start-up would
/// refuse), and where min_version is below TLS12 does an in-memory handshake at that version:
/// nullopt when OpenSSL takes it all.
std::optional<TlsProblem> CheckTlsServerConfig(const TlsServerConfig& tls);

}  // namespace silicon
