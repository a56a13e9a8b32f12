#pragma once

#include <string>

namespace silicon {

/// tls_server_config of exporter-toolkit, the part this exporter serves. Paths are absolute
/// (relative ones were resolved against the web config file's folder, as exporter-toolkit does).
struct TlsServerConfig {
  std::string cert_file;
  std::string key_file;
  /// Go's tls.ClientAuthType names: NoClientCert, RequestClientCert, RequireAnyClientCert,
  /// VerifyClientCertIfGiven, RequireAndVerifyClientCert.
  std::string client_auth_type = "NoClientCert";
  std::string client_ca_file;       // required by the two Verify types
  std::string min_version = "TLS12";  // TLS10..TLS13, exporter-toolkit's default
  std::string max_version = "TLS13";

  bool operator==(const TlsServerConfig&) const = default;
};

}  // namespace silicon
