#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "exporter/http/connection_stats.h"
#include "exporter/http/http_response.h"
#include "exporter/http/tls_config.h"

namespace silicon {

/// What a handler gets of a request: the request line and the few headers the routes read.
struct HttpRequest {
  std::string method;  // as sent: "GET", "HEAD", "TRACE"...
  std::string target;  // the request line's target, as sent
  std::string accept;
  std::string accept_encoding;
  std::string authorization;
  std::string remote_address;  // "host:port", "[v6 host]:port"
};

/// Answers one request; runs on the thread that read it, with the loop handed over (LoopThreads),
/// on several threads at once when requests arrive together.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  std::string listen_address;  // "HOST:PORT", ":PORT" (every IPv4 interface), "[::1]:PORT"
  int workers = 1;             // requests answered at once; more wait in arrival order
  /// Held at once; lowered at start so that this many, and reserved_descriptors more, fit under
  /// the descriptor limit (raised to its hard limit first).
  std::size_t max_connections = 512;
  /// Descriptors kept for everything but connections: collectors' files (Docker streams on a Mac
  /// among them), the listener, logs.
  std::size_t reserved_descriptors = 128;
  /// From accept (TLS handshake included) to the last byte of the first request, and from the
  /// first byte to the last of every later one: slow clients are closed at this deadline.
  std::chrono::milliseconds header_timeout{10000};
  /// How long a kept-alive connection may wait for its next request. Longer than the idle
  /// timeouts of the clients that keep connections (Go's net/http, vmagent), so that the client,
  /// not the server, ends an idle connection: a client that reuses one the server has just closed
  /// may fail that scrape (vmagent does, docs/fleet.md).
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
  std::chrono::milliseconds write_timeout{10000};  // a response not taken by then: closed
  /// A request that waited this long for a worker is answered 503 (its client has given up:
  /// Prometheus' default scrape timeout is 10 s).
  std::chrono::milliseconds queue_timeout{10000};
  /// A render this long is stuck; when all `workers` are, requests get 503 at once.
  std::chrono::milliseconds stuck_after{std::chrono::seconds(1)};
  /// A render this long leaves the loop to another thread, so that accepting, reading and
  /// closing go on beside a slow collector (a scrape takes well under 1 ms on this VM).
  std::chrono::milliseconds stall_after{100};
  std::optional<TlsServerConfig> tls;  // set: TLS only
  std::shared_ptr<ConnectionStats> stats;  // where to count connections; null: not counted
};

/// An HTTP/1.1 server on one event-loop thread (Boost.Beast over Asio): accepting, TLS
/// handshakes, reading requests and writing responses cost no thread per connection, so idle or
/// slow clients cannot take the places Prometheus needs. Every connection has a deadline in each
/// phase, the number held is capped (the oldest that never sent a request makes room for a new
/// one, see ConnectionTable), and complete requests are rendered in arrival order by the thread that
/// read them (LoopThreads), at most `workers` at once (RenderSlots).
class HttpServer {
 public:
  /// Binds and starts serving; throws TlsSetupError for a TLS context OpenSSL refuses and
  /// std::runtime_error when it cannot listen.
  HttpServer(const HttpServerOptions& options, HttpHandler handler);
  /// Stops accepting, closes idle connections, lets requests in flight finish and be written.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// The port actually bound (useful with port 0).
  int Port() const;

  /// What serves: the event loop of http_server.cpp, built into the exporter without TLS and
  /// into the TLS module (tls_module.h) with it.
  class Core {
   public:
    virtual ~Core() = default;
    virtual int Port() const = 0;
  };
  struct Impl;  // the Core, defined in http_server.cpp

 private:
  std::unique_ptr<Core> core_;
};

}  // namespace silicon
