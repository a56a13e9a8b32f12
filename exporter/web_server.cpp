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
#include "exporter/http_response.h"
#include "exporter/log_limiter.h"
#include "exporter/login_throttle.h"
#include "exporter/tls_context.h"
#include "exporter/ui_assets.h"
#include "version.h"

namespace silicon {

struct WebServer::State {
  int max_requests = 0;
  bool ui = true;
  std::optional<TlsServerConfig> tls;
  std::atomic<int> in_flight{0};
  std::string tls_error;              // why civetweb's init_ssl callback failed, for the startup error
  std::atomic<bool> stopping{false};  // the shutdown knock is no failed handshake worth a log line
  LogLimiter civet_messages{"http server", 20};
  LogLimiter auth_failures{"authentication failed", 20};  // one client once wrote 429 MiB in 10 s
  LoginThrottle logins;

  // What a reload replaces, under swap_mutex.
  mutable std::mutex swap_mutex;
  std::string landing_page;
  std::shared_ptr<const BasicAuth> auth;
  std::vector<std::weak_ptr<prometheus::Collectable>> collectables;

  std::shared_ptr<const BasicAuth> Auth() const {
    const std::lock_guard lock(swap_mutex);
    return auth;
  }
};

namespace {

using State = WebServer::State;
constexpr int kMaxWorkers = 8;

// civetweb hands every callback its context, whose user data is the CivetServer, which carries ours.
State& StateOf(const mg_connection* conn) {
  const auto* server = static_cast<const CivetServer*>(mg_get_user_data(mg_get_context(conn)));
  return *static_cast<State*>(const_cast<void*>(server->getUserContext()));
}

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

// /metrics: prometheus-cpp's serializer over our collectables, gzipped when asked. prometheus-cpp's
// own handler also keeps a latency summary whose quantiles it recomputes per scrape.
HttpResponse Metrics(mg_connection* conn, State& state, bool head) {
  constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";
  if (head) return HttpResponse{200, kContentType, std::nullopt, {}};  // a GET's headers, no collecting
  if (state.in_flight.fetch_add(1) >= state.max_requests) {
    state.in_flight.fetch_sub(1);
    return TextResponse(503, "too many concurrent scrapes\n");
  }
  HttpResponse response{200, kContentType, std::nullopt, {}};
  try {
    std::vector<std::weak_ptr<prometheus::Collectable>> collectables;
    {
      const std::lock_guard lock(state.swap_mutex);
      collectables = state.collectables;
    }
    response.body = RenderExposition(collectables);
    const char* accept_encoding = mg_get_header(conn, "Accept-Encoding");
    if (accept_encoding != nullptr && AcceptsGzip(accept_encoding)) {
      if (auto compressed = Gzip(*response.body)) {
        response.body = std::move(*compressed);
        response.headers.emplace_back("Content-Encoding", "gzip");
      }
    }
  } catch (const std::exception& error) {
    // Collectors isolate their own failures; this is the serializer or memory running out.
    spdlog::error("cannot serve /metrics: {}", error.what());
    response = TextResponse(500, "internal error\n");
  }
  state.in_flight.fetch_sub(1);
  return response;
}

// The live page's own files may load nothing from anywhere else, and talk only to this exporter.
constexpr const char* kUiPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

HttpResponse UiFile(std::string_view path) {
  for (const auto& asset : UiAssets()) {
    if (asset.path != path) continue;
    HttpResponse response{200, std::string(asset.content_type), std::string(asset.body), {}};
    response.headers.emplace_back("Content-Security-Policy", kUiPolicy);
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
    return response;
  }
  return TextResponse(404, "not found\n");
}

// A browser (Accept names text/html) gets the live page; scripts, curl and ?format=text the text
// landing page node_exporter users know.
bool WantsLivePage(mg_connection* conn, const State& state) {
  if (!state.ui) return false;
  const char* query = mg_get_request_info(conn)->query_string;
  if (query != nullptr && std::string_view(query).find("format=text") != std::string_view::npos) return false;
  const char* accept = mg_get_header(conn, "Accept");
  return accept != nullptr && std::string_view(accept).find("text/html") != std::string_view::npos;
}

HttpResponse Landing(mg_connection* conn, State& state, bool) {
  if (WantsLivePage(conn, state)) return UiFile("/");
  const std::lock_guard lock(state.swap_mutex);
  return HttpResponse{200, "text/html; charset=utf-8", state.landing_page, {}};
}

// /ui.js and /ui.css: the asset of the path asked for.
HttpResponse UiAssetFile(mg_connection* conn, State& state, bool) {
  return state.ui ? UiFile(mg_get_request_info(conn)->local_uri) : TextResponse(404, "not found\n");
}

HttpResponse Healthy(mg_connection*, State&, bool) { return TextResponse(200, "OK\n"); }

struct Route {
  std::string_view path;
  HttpResponse (*serve)(mg_connection* conn, State& state, bool head);
};

constexpr Route kRoutes[] = {
    {"/metrics", &Metrics},
    {"/", &Landing},
    {"/-/healthy", &Healthy},
    {"/ui.js", &UiAssetFile},
    {"/ui.css", &UiAssetFile},
};

// An unauthenticated client learns nothing, not even which paths exist: nullopt when it may pass.
std::optional<HttpResponse> Unauthorized(mg_connection* conn, State& state, std::string_view path) {
  const auto auth = state.Auth();
  if (!auth || !auth->Enabled()) return std::nullopt;
  const char* header = mg_get_header(conn, "Authorization");
  const auto credentials = header ? ParseBasicAuthorization(header) : std::nullopt;
  // A scraper that logged in before passes from memory, whatever others are trying meanwhile.
  if (credentials && auth->Remembered(credentials->first, credentials->second)) return std::nullopt;
  const std::string_view address = mg_get_request_info(conn)->remote_addr;
  const std::string user = credentials ? credentials->first : "";
  if (credentials && state.logins.Blocked(address, user)) {
    // Too many failures from this address or for this user this minute: no bcrypt for this try.
    auto response = TextResponse(429, "too many failed logins, try again in a minute\n");
    response.headers.emplace_back("Retry-After", "60");
    return response;
  }
  if (credentials && auth->Allows(credentials->first, credentials->second)) return std::nullopt;
  if (credentials) state.logins.Failed(address, user);
  if (state.auth_failures.Allow()) {
    spdlog::warn("authentication failed remote={} user=\"{}\" path=\"{}\"", mg_get_request_info(conn)->remote_addr,
                 credentials ? credentials->first : "", path);
  }
  auto response = TextResponse(401, "Unauthorized\n");
  response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"silicon_exporter\"");
  return response;
}

HttpResponse Answer(mg_connection* conn, State& state, std::string_view method, std::string_view path, bool head) {
  if (auto refused = Unauthorized(conn, state, path)) return std::move(*refused);
  if (method != "GET" && !head) {
    auto response = TextResponse(405, "method not allowed\n");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  for (const auto& route : kRoutes) {
    if (route.path == path) return route.serve(conn, state, head);
  }
  return TextResponse(404, "not found\n");
}

// civetweb's begin_request callback: answers every request itself, before civetweb routes it.
int BeginRequest(mg_connection* conn) {
  const mg_request_info* request = mg_get_request_info(conn);
  const std::string_view method = request->request_method ? request->request_method : "";
  const std::string_view path = request->local_uri ? request->local_uri : "";
  const bool head = method == "HEAD";
  return WriteResponse(conn, Answer(conn, StateOf(conn), method, path, head), head);
}

// civetweb's init_ssl callback: civetweb made the SSL_CTX; we load certificates and set policy.
int InitTls(void* ssl_ctx, void* server) {
  auto& state = *static_cast<State*>(const_cast<void*>(static_cast<CivetServer*>(server)->getUserContext()));
  if (!state.tls) return -1;
  state.tls_error = ConfigureTlsContext(ssl_ctx, *state.tls);
  return state.tls_error.empty() ? 1 : -1;  // 1: done, civetweb loads no certificate itself
}

// civetweb's own complaints (failed TLS handshakes, plain HTTP sent to the TLS port, socket
// errors) as warnings, rate-limited.
int LogCivetMessage(const mg_connection* conn, const char* message) {
  if (conn == nullptr) {
    spdlog::warn("http server: {}", message);
    return 1;
  }
  State& state = StateOf(conn);
  if (state.stopping.load() || !state.civet_messages.Allow()) return 1;
  // Before the handshake civetweb has not filled in the peer address: the message stands alone.
  const mg_request_info* request = mg_get_request_info(conn);
  const std::string remote = request && request->remote_addr[0] ? request->remote_addr : "";
  spdlog::warn("http server: {}{}{}", message, remote.empty() ? "" : " remote=", remote);
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
    : wake_host_(WakeHost(options.listen_address)), state_(std::make_unique<State>()) {
  state_->landing_page = LandingPage(options.collector_names);
  state_->max_requests = options.max_requests;
  state_->ui = options.ui;
  state_->auth = options.auth;
  state_->collectables = collectables;
  state_->tls = options.tls;

  std::string listening_port = CivetListeningPort(options.listen_address);
  CivetCallbacks callbacks;
  callbacks.begin_request = &BeginRequest;
  callbacks.log_message = &LogCivetMessage;
  if (options.tls) {
    // civetweb loads OpenSSL (dlopen "libssl.so" and "libcrypto.so": our shims, found through
    // the binary's DT_RPATH) only when asked to here, before any server starts.
    if ((mg_init_library(MG_FEATURES_TLS) & MG_FEATURES_TLS) == 0) {
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
    server_ = std::make_unique<CivetServer>(civet_options, &callbacks, state_.get());
  } catch (const std::exception& error) {
    if (!state_->tls_error.empty()) throw TlsSetupError("tls_server_config: " + state_->tls_error);
    throw std::runtime_error("cannot listen on " + options.listen_address + ": " + error.what());
  }
}

WebServer::~WebServer() {
  // civetweb's accept loop polls with a 2-second quantum (SOCKET_TIMEOUT_QUANTUM in civetweb.c) and
  // only sees the stop flag between polls, so stopping could take 2 s. Connecting to ourselves
  // while it stops wakes the poll at once; requests in flight still finish.
  std::atomic<bool> stopped{false};
  state_->stopping.store(true);
  const int port = Port();  // before the reset below: server_ is not ours to read from another thread
  std::thread waker([&] {
    while (!stopped.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (!stopped.load()) Knock(wake_host_, port);
    }
  });
  server_.reset();  // stops civetweb and waits for requests in flight
  stopped.store(true);
  waker.join();
}

void WebServer::Update(const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables,
                       std::shared_ptr<const BasicAuth> auth, const std::vector<std::string>& collector_names) {
  const std::lock_guard lock(state_->swap_mutex);
  state_->collectables = collectables;
  state_->auth = std::move(auth);
  state_->landing_page = LandingPage(collector_names);
}

int WebServer::Port() const {
  const auto ports = server_->getListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

}  // namespace silicon
