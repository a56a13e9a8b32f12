#include "exporter/web_server.h"

#include <CivetServer.h>
#include <civetweb.h>
#include <spdlog/spdlog.h>

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "exporter/exposition.h"
#include "exporter/tls_context.h"
#include "version.h"

namespace silicon {
namespace {

struct ServerState {
  mutable std::mutex swap_mutex;  // guards what a reload replaces: the landing page, auth, collectables
  std::string landing_page;
  std::shared_ptr<const BasicAuth> auth;
  int max_requests = 0;
  std::atomic<int> in_flight{0};
  std::vector<std::weak_ptr<prometheus::Collectable>> collectables;
  std::optional<TlsServerConfig> tls;
  std::string tls_error;              // why civetweb's init_ssl callback failed, for the startup error
  std::atomic<bool> stopping{false};  // the shutdown knock is no failed handshake worth a log line

  std::string LandingPage() const {
    const std::lock_guard lock(swap_mutex);
    return landing_page;
  }
  std::shared_ptr<const BasicAuth> Auth() const {
    const std::lock_guard lock(swap_mutex);
    return auth;
  }
  std::vector<std::weak_ptr<prometheus::Collectable>> Collectables() const {
    const std::lock_guard lock(swap_mutex);
    return collectables;
  }
};

// civetweb hands its own CivetServer as the context's user data, so our state has to live here.
std::atomic<ServerState*> g_state{nullptr};
constexpr int kMaxWorkers = 8;

std::string HtmlEscape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string LandingPage(const std::vector<std::string>& collectors) {
  std::string items;
  for (const auto& name : collectors) items += "<li>" + HtmlEscape(name) + "</li>";
  return std::string("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>silicon_exporter</title></head>"
                     "<body><h1>silicon_exporter</h1><p>Version ") +
         HtmlEscape(build::kVersion) + " (revision " + HtmlEscape(build::kRevision) +
         ")</p><p><a href=\"/metrics\">Metrics</a></p><h2>Enabled collectors</h2><ul>" + items +
         "</ul></body></html>\n";
}

void SendBody(mg_connection* conn, int status, const char* content_type, std::string_view body, bool head) {
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
            "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n\r\n",
            status, mg_get_response_code_text(conn, status), content_type, body.size());
  if (!head) mg_write(conn, body.data(), body.size());
}

// /metrics: prometheus-cpp's serializer over our collectables, gzipped when asked, written with one
// send. prometheus-cpp's own handler writes three (each a TCP segment with TCP_NODELAY) and keeps
// a latency summary whose quantiles it recomputes per scrape: ~12 % more CPU per scrape, measured
// by alternating both builds under tests/bench/scrape_bench.sh's load.
void SendMetrics(mg_connection* conn, const ServerState& state) {
  std::string body = RenderExposition(state.Collectables());
  const char* accept_encoding = mg_get_header(conn, "Accept-Encoding");
  bool gzipped = false;
  if (accept_encoding != nullptr && AcceptsGzip(accept_encoding)) {
    if (auto compressed = Gzip(body)) {
      body = std::move(*compressed);
      gzipped = true;
    }
  }
  std::string response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n";
  if (gzipped) response += "Content-Encoding: gzip\r\n";
  response += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  response += body;
  mg_write(conn, response.data(), response.size());
}

// Runs before civetweb routes the request and answers every request itself.
int BeginRequest(mg_connection* conn) {
  ServerState* state = g_state.load();
  const mg_request_info* request = mg_get_request_info(conn);
  const std::string_view method = request->request_method ? request->request_method : "";
  const std::string_view uri = request->local_uri ? request->local_uri : "";
  const bool head = method == "HEAD";

  // Authentication first, for every path: an unauthenticated client learns nothing, not even
  // which paths exist.
  const auto auth = state != nullptr ? state->Auth() : nullptr;
  if (auth && auth->Enabled()) {
    const char* header = mg_get_header(conn, "Authorization");
    const auto credentials = header ? ParseBasicAuthorization(header) : std::nullopt;
    if (!credentials || !auth->Allows(credentials->first, credentials->second)) {
      spdlog::warn("authentication failed remote={} user=\"{}\" path=\"{}\"", request->remote_addr,
                   credentials ? credentials->first : "", uri);
      mg_printf(conn,
                "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"silicon_exporter\"\r\n"
                "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\r\nUnauthorized\n");
      return 401;
    }
  }

  if (method != "GET" && !head) {
    mg_printf(conn, "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\n\r\n");
    return 405;
  }
  if (uri == "/metrics" && head) {
    // The headers a GET would get, without running the collectors.
    mg_printf(conn, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n\r\n");
    return 200;
  }
  if (uri == "/metrics") {
    if (state == nullptr || state->in_flight.fetch_add(1) >= state->max_requests) {
      if (state != nullptr) state->in_flight.fetch_sub(1);
      SendBody(conn, 503, "text/plain; charset=utf-8", "too many concurrent scrapes\n", head);
      return 503;
    }
    int status = 200;
    try {
      SendMetrics(conn, *state);
    } catch (const std::exception& error) {
      // Collectors isolate their own failures; this is the serializer or memory running out.
      spdlog::error("cannot serve /metrics: {}", error.what());
      SendBody(conn, 500, "text/plain; charset=utf-8", "internal error\n", head);
      status = 500;
    }
    state->in_flight.fetch_sub(1);
    return status;
  }
  if (uri == "/") {
    SendBody(conn, 200, "text/html; charset=utf-8", state ? state->LandingPage() : "", head);
    return 200;
  }
  if (uri == "/-/healthy") {
    SendBody(conn, 200, "text/plain; charset=utf-8", "OK\n", head);
    return 200;
  }
  SendBody(conn, 404, "text/plain; charset=utf-8", "not found\n", head);
  return 404;
}

// civetweb's init_ssl callback: civetweb made the SSL_CTX; we load certificates and set policy.
int InitTls(void* ssl_ctx, void*) {
  ServerState* state = g_state.load();
  if (state == nullptr || !state->tls) return -1;
  state->tls_error = ConfigureTlsContext(ssl_ctx, *state->tls);
  return state->tls_error.empty() ? 1 : -1;  // 1: done, civetweb loads no certificate itself
}

// civetweb's own complaints (failed TLS handshakes, plain HTTP sent to the TLS port, socket
// errors) as warnings, at most kLogBurst per minute so a hostile client cannot flood the log.
int LogCivetMessage(const mg_connection* conn, const char* message) {
  constexpr int kLogBurst = 20;
  static std::mutex mutex;
  static auto window_start = std::chrono::steady_clock::now();
  static int logged = 0;
  static int suppressed = 0;
  ServerState* state = g_state.load();
  if (state != nullptr && state->stopping.load()) return 1;
  // Before the handshake civetweb has not filled in the peer address: the message stands alone.
  const mg_request_info* request = conn ? mg_get_request_info(conn) : nullptr;
  const std::string remote = request && request->remote_addr[0] ? request->remote_addr : "";
  const std::lock_guard<std::mutex> lock(mutex);
  const auto now = std::chrono::steady_clock::now();
  if (now - window_start > std::chrono::minutes(1)) {
    if (suppressed > 0) spdlog::warn("http server: {} more messages suppressed", suppressed);
    window_start = now;
    logged = suppressed = 0;
  }
  if (logged++ < kLogBurst) {
    spdlog::warn("http server: {}{}{}", message, remote.empty() ? "" : " remote=", remote);
  } else {
    ++suppressed;
  }
  return 1;  // handled: civetweb writes no error log of its own
}

// Opens and closes one TCP connection to host:port, ignoring every error.
void Knock(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    const int fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) continue;
    const bool connected = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
    close(fd);
    if (connected) break;
  }
  freeaddrinfo(found);
}

// The host to knock on to reach our own listener: the wildcard addresses mean loopback will do.
std::string WakeHost(const std::string& listen_address) {
  std::string host = listen_address.substr(0, listen_address.rfind(':'));
  if (host.size() > 1 && host.front() == '[') host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "0.0.0.0") return "127.0.0.1";
  if (host == "::") return "::1";
  return host;
}

}  // namespace

std::string CivetListeningPort(const std::string& listen_address) {
  if (!listen_address.empty() && listen_address.front() == ':') return listen_address.substr(1);
  return listen_address;
}

WebServer::WebServer(const WebOptions& options,
                     const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables)
    : wake_host_(WakeHost(options.listen_address)) {
  auto* state = new ServerState;
  state->landing_page = LandingPage(options.collector_names);
  state->max_requests = options.max_requests;
  state->auth = options.auth;
  state->collectables = collectables;
  state->tls = options.tls;
  ServerState* expected = nullptr;
  if (!g_state.compare_exchange_strong(expected, state)) {
    delete state;
    throw std::logic_error("only one WebServer may run at a time");
  }

  std::string listening_port = CivetListeningPort(options.listen_address);
  CivetCallbacks callbacks;
  callbacks.begin_request = &BeginRequest;
  callbacks.log_message = &LogCivetMessage;
  if (options.tls) {
    // civetweb loads OpenSSL (dlopen "libssl.so" and "libcrypto.so": our shims, found through
    // the binary's DT_RPATH) only when asked to here, before any server starts.
    if ((mg_init_library(MG_FEATURES_TLS) & MG_FEATURES_TLS) == 0) {
      delete g_state.exchange(nullptr);
      throw std::runtime_error(
          "TLS: civetweb cannot load OpenSSL (libssl.so and libcrypto.so from lib/silicon_exporter beside the binary)");
    }
    listening_port += 's';
    callbacks.init_ssl = &InitTls;
  }
  // Workers: one per allowed scrape plus one for / and /-/healthy, at most kMaxWorkers + 1. Each
  // idle civetweb thread costs ~10 KB of RSS; more parallel scrapes than that only queue (a
  // Prometheus scrapes a target one request at a time).
  const std::vector<std::string> civet_options = {
      "listening_ports", listening_port,
      "num_threads", std::to_string(std::min(options.max_requests, kMaxWorkers) + 1),
      "request_timeout_ms", "10000",
      "max_request_size", "16384",
      "enable_keep_alive", "yes",
      // Without it, Nagle's algorithm meets the client's delayed ACK on a kept-alive connection and
      // every scrape after the first waits ~40 ms (measured with tests/bench/scrape_bench.sh).
      "tcp_nodelay", "1",
  };
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(civet_options, &callbacks);
  } catch (const std::exception& error) {
    const std::string tls_error = state->tls_error;
    delete g_state.exchange(nullptr);
    if (!tls_error.empty()) throw std::runtime_error("tls_server_config: " + tls_error);
    throw std::runtime_error("cannot listen on " + options.listen_address + ": " + error.what());
  }
}

WebServer::~WebServer() {
  // civetweb's accept loop polls with a 2-second quantum (SOCKET_TIMEOUT_QUANTUM in civetweb.c) and
  // only sees the stop flag between polls, so stopping could take 2 s. Connecting to ourselves
  // while it stops wakes the poll at once; requests in flight still finish.
  std::atomic<bool> stopped{false};
  if (ServerState* state = g_state.load()) state->stopping.store(true);
  const int port = Port();  // before the reset below: exposer_ is not ours to read from another thread
  std::thread waker([&] {
    while (!stopped.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (!stopped.load()) Knock(wake_host_, port);
    }
  });
  exposer_.reset();  // stops civetweb and waits for requests in flight
  stopped.store(true);
  waker.join();
  delete g_state.exchange(nullptr);
}

void WebServer::Update(const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables,
                       std::shared_ptr<const BasicAuth> auth, const std::vector<std::string>& collector_names) {
  ServerState* state = g_state.load();
  if (state == nullptr) return;
  const std::lock_guard lock(state->swap_mutex);
  state->collectables = collectables;
  state->auth = std::move(auth);
  state->landing_page = LandingPage(collector_names);
}

int WebServer::Port() const {
  const auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace silicon
