// The TLS module's entry points (tls_module.h); everything else in the module is hidden.
#include <spdlog/spdlog.h>

#include <exception>

#include "exporter/http/http_server_core.h"
#include "exporter/http/tls_module.h"

extern "C" __attribute__((visibility("default"))) silicon::HttpServer::Core* silicon_tls_start(
    const silicon::HttpServerOptions& options, const silicon::HttpHandler& handler, std::string& error,
    bool& tls_refused) {
  try {
    return silicon::StartServerCore(options, handler).release();
  } catch (const silicon::TlsSetupError& refused) {
    tls_refused = true;
    error = refused.what();
  } catch (const std::exception& failed) {
    error = failed.what();
  }
  return nullptr;
}

extern "C" __attribute__((visibility("default"))) bool silicon_tls_check(const silicon::TlsServerConfig& tls,
                                                                         silicon::TlsProblem& problem,
                                                                         std::string& error) {
  try {
    if (auto found = silicon::CheckTlsServerConfig(tls)) {
      problem = std::move(*found);
      return false;
    }
  } catch (const std::exception& failed) {
    error = failed.what();
    return false;
  }
  return true;
}

extern "C" __attribute__((visibility("default"))) void silicon_tls_use_logger(
    const std::shared_ptr<spdlog::logger>& logger) {
  spdlog::set_default_logger(logger);
}
