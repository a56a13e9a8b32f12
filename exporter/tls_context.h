#pragma once

#include <string>

#include "exporter/web_config.h"

namespace silicon {

/// Sets up the SSL_CTX civetweb made for the listener (its init_ssl callback) from
/// tls_server_config: certificate chain and key, client certificate policy and CA, protocol
/// versions. Returns what went wrong, or an empty string when the context is ready.
std::string ConfigureTlsContext(void* ssl_ctx, const TlsServerConfig& tls);

}  // namespace silicon
