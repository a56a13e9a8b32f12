#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <prometheus/collectable.h>

#include "exporter/http/connection_stats.h"
#include "exporter/http/tls_context.h"
#include "exporter/http/web_auth.h"
#include "exporter/history/history_sampler.h"
#include "exporter/web_config.h"

namespace silicon {

/// What the HTTP front needs to know besides the collectables.
struct WebOptions {
  std::string listen_address;
  int max_requests = 40;                     // requests answered at once: WorkerCount(this) workers
  std::size_t max_connections = 512;         // held at once; see ConnectionTable
  std::vector<std::string> collector_names;  // shown on the landing page
  std::shared_ptr<const BasicAuth> auth;     // null or empty: no authentication
  std::optional<TlsServerConfig> tls;        // set: HTTPS only on the listen address
  bool ui = true;                            // the live page at / (false: --web.disable-ui)
  std::shared_ptr<ConnectionStats> connection_stats;  // counted here when set (SelfCollectable shows them)
  std::shared_ptr<const HistorySampler> history;      // null: /api/history answers 404 (history off)
};

class HttpServer;

/// Serves /metrics, / (the live page, or the text landing page), /-/healthy, the live page's
/// ui.js and ui.css and its history (/api/history), and nothing else, over HTTP or HTTPS: the routes and basic auth, on an
/// HttpServer that holds the connections.
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

  /// What the routes share; defined in web_server.cpp.
  struct State;

 private:
  std::unique_ptr<State> state_;  // outlives server_: its workers read it until they stop
  std::unique_ptr<HttpServer> server_;
};

/// The worker threads for --web.max-requests: min(N, 8), and 8 for 0 (node_exporter's "no
/// limit"); more requests wait their turn in arrival order.
int WorkerCount(int max_requests);

}  // namespace silicon
