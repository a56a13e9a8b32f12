#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <prometheus/collectable.h>

#include "exporter/web_auth.h"
#include "exporter/web_config.h"

class CivetServer;

namespace silicon {

/// What the HTTP front needs to know besides the collectables.
struct WebOptions {
  std::string listen_address;
  int max_requests = 40;
  std::vector<std::string> collector_names;  // shown on the landing page
  std::shared_ptr<const BasicAuth> auth;     // null or empty: no authentication
  std::optional<TlsServerConfig> tls;        // set: HTTPS only on the listen address
  bool ui = true;                            // the live page at / (false: --web.disable-ui)
};

/// Serves /metrics, / (the live page, or the text landing page), /-/healthy and the live page's
/// ui.js and ui.css, and nothing else, over HTTP or HTTPS, with civetweb (the
/// server inside prometheus-cpp's Exposer, run here directly so that its context carries our
/// state); every request is answered in civetweb's begin_request callback.
class WebServer {
 public:
  WebServer(const WebOptions& options, const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables);
  ~WebServer();
  WebServer(const WebServer&) = delete;
  WebServer& operator=(const WebServer&) = delete;

  /// What a configuration reload may change while serving: the collectables, the basic auth users
  /// and the collector list on the landing page. Requests in flight finish with what they had.
  void Update(const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables,
              std::shared_ptr<const BasicAuth> auth, const std::vector<std::string>& collector_names);

  /// The port actually bound (useful with port 0).
  int Port() const;

  /// What the request callbacks share; defined in web_server.cpp.
  struct State;

 private:
  std::string wake_host_;          // where to reach our own listener when stopping
  std::unique_ptr<State> state_;   // outlives server_: civetweb's threads read it until they stop
  std::unique_ptr<CivetServer> server_;
};

/// A tls_server_config that OpenSSL refuses (a key that does not match its certificate, a file that
/// is not PEM): a configuration error, exit 2 like every other.
class TlsSetupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// civetweb's listening_ports value for a node_exporter-style address (":10025" means every IPv4 interface).
std::string CivetListeningPort(const std::string& listen_address);

}  // namespace silicon
