// HttpServer: the event loop here without TLS, the TLS module's (tls_module.h) with it.
#include "exporter/http/http_server.h"

#include "exporter/http/http_server_core.h"
#if SILICON_TLS_MODULE
#include "exporter/http/tls_module.h"
#endif

namespace silicon {

HttpServer::HttpServer(const HttpServerOptions& options, HttpHandler handler) {
#if SILICON_TLS_MODULE
  if (options.tls) {
    core_ = StartTlsServerCore(options, handler);
    return;
  }
#endif
  core_ = StartServerCore(options, std::move(handler));
}

HttpServer::~HttpServer() = default;  // the Core stops, lets requests in flight finish, joins

int HttpServer::Port() const { return core_->Port(); }

}  // namespace silicon
