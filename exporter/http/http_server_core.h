#pragma once

#include <memory>

#include "exporter/http/http_server.h"

namespace silicon {

/// Binds and starts the event loop of http_server.cpp (HttpServer's constructor says what it
/// throws). Compiled with TLS only in the TLS module: the exporter's own copy refuses options.tls.
std::unique_ptr<HttpServer::Core> StartServerCore(const HttpServerOptions& options, HttpHandler handler);

}  // namespace silicon
