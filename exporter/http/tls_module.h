#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "exporter/http/http_server.h"
#include "exporter/http/tls_context.h"

// The TLS module, silicon_exporter_tls.so: the HTTP server compiled with TLS, and OpenSSL. The
// exporter loads it (dlopen) only when a tls_server_config is set, so that without TLS neither
// libssl nor libcrypto is mapped: linked in, their relocations and pages cost ~1.7 MB of RSS
// before any TLS was configured (docs/benchmarks.md). The module keeps its own copy of Asio
// (its io_context never meets the exporter's); across the boundary go only the options, the
// handler and the Core, built by the same compiler from the same headers.

/// The module's entry points, looked up by these names. Neither throws: an error is returned.
extern "C" {
/// Starts a TLS server; null with `error` set (and `tls_refused` when OpenSSL refused the
/// config rather than the address failing).
using SiliconTlsStart = silicon::HttpServer::Core* (*)(const silicon::HttpServerOptions& options,
                                                          const silicon::HttpHandler& handler, std::string& error,
                                                          bool& tls_refused);
/// CheckTlsServerConfig in the module: false with `problem` set when OpenSSL refuses the config.
using SiliconTlsCheck = bool (*)(const silicon::TlsServerConfig& tls, silicon::TlsProblem& problem,
                                 std::string& error);
/// Makes `logger` the module's default logger. The lean link compiles spdlog into the binary and
/// into the module alike, each with a registry of its own; without this the module's lines would
/// go to spdlog's unformatted stdout logger instead of the exporter's.
using SiliconTlsUseLogger = void (*)(const std::shared_ptr<spdlog::logger>& logger);
}

namespace silicon {

/// Starts a TLS server from the module (loaded on first use); throws what HttpServer's
/// constructor throws, and std::runtime_error when the module cannot be loaded.
std::unique_ptr<HttpServer::Core> StartTlsServerCore(const HttpServerOptions& options, const HttpHandler& handler);

}  // namespace silicon
