#include "exporter/tls_context.h"

namespace silicon {

// Not built or tested for macOS yet: Homebrew's civetweb and OpenSSL have not been tried with it.
std::string ConfigureTlsContext(void*, const TlsServerConfig&) {
  return "TLS is not available in macOS builds yet; put a TLS-terminating proxy in front";
}

}  // namespace silicon
