#include "exporter/web_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <string_view>

#include "exporter/exposition.h"
#include "exporter/http/http_response.h"
#include "exporter/http/http_server.h"
#include "exporter/http/log_limiter.h"
#include "exporter/http/login_throttle.h"
#include "exporter/http/request_target.h"
#include "exporter/ui_assets.h"
#include "version.h"

namespace silicon {

struct WebServer::State {
  bool ui = true;
  std::shared_ptr<const HistorySampler> history;
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
// Scrapes rendered at once, whatever --web.max-requests allows: on a laptop more threads only
// share the same cores, and each keeps its stack and allocator cache (~100 KB with glibc).
constexpr int kMaxWorkers = 8;

// What a route gets: the request and its parsed target.
struct Request {
  const HttpRequest& http;
  const RequestTarget& target;
  bool head;
};

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
HttpResponse Metrics(const Request& request, State& state) {
  constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";
  if (request.head) return HttpResponse{200, kContentType, std::nullopt, {}};  // a GET's headers, no collecting
  HttpResponse response{200, kContentType, std::nullopt, {}};
  try {
    std::vector<std::weak_ptr<prometheus::Collectable>> collectables;
    {
      const std::lock_guard lock(state.swap_mutex);
      collectables = state.collectables;
    }
    response.body = RenderExposition(collectables);
    if (AcceptsGzip(request.http.accept_encoding)) {
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
  return response;
}

// The live page's own files may load nothing from anywhere else, and talk only to this exporter.
constexpr const char* kUiPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Every page a browser may render gets these, the live page and the plain landing page alike
// (which loads nothing at all, so the same policy costs it nothing).
HttpResponse WithPageHeaders(HttpResponse response) {
  response.headers.emplace_back("Content-Security-Policy", kUiPolicy);
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  return response;
}

HttpResponse UiFile(std::string_view path) {
  for (const auto& asset : UiAssets()) {
    if (asset.path != path) continue;
    return WithPageHeaders(HttpResponse{200, std::string(asset.content_type), std::string(asset.body), {}});
  }
  return TextResponse(404, "not found\n");
}

// A browser (Accept names text/html) gets the live page; scripts, curl and ?format=text the text
// landing page node_exporter users know.
bool WantsLivePage(const Request& request, const State& state) {
  if (!state.ui) return false;
  if (request.target.query.find("format=text") != std::string::npos) return false;
  return request.http.accept.find("text/html") != std::string::npos;
}

HttpResponse Landing(const Request& request, State& state) {
  if (WantsLivePage(request, state)) return UiFile("/");
  const std::lock_guard lock(state.swap_mutex);
  return WithPageHeaders(HttpResponse{200, "text/html; charset=utf-8", state.landing_page, {}});
}

// /ui.js, /history.js and /ui.css: the asset of the path asked for.
HttpResponse UiAssetFile(const Request& request, State& state) {
  return state.ui ? UiFile(request.target.path) : TextResponse(404, "not found\n");
}

// since=<Unix ms> in a query string: the samples the page already has end there. 0 when absent;
// nullopt when malformed.
std::optional<std::int64_t> SinceOf(std::string_view query) {
  std::int64_t since = 0;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (!item.starts_with("since=")) continue;
    const auto digits = item.substr(6);
    if (digits.empty() || digits.size() > 15 || digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    since = std::stoll(std::string(digits));
  }
  return since;
}

// /api/history: the live page's recent past as JSON (HistoryJson), or only what came after ?since=.
HttpResponse History(const Request& request, State& state) {
  if (!state.history) return TextResponse(404, "history is off (--web.ui.history=0 or --web.disable-ui)\n");
  const auto since = SinceOf(request.target.query);
  if (!since) return TextResponse(400, "since must be a Unix time in milliseconds\n");
  HttpResponse response{200, "application/json", std::nullopt, {}};
  response.headers.emplace_back("Cache-Control", "no-store");
  if (request.head) return response;
  response.body = state.history->Json(*since);
  // An hour of a 16-core machine is ~100 KB of JSON, mostly digits: gzip takes it to a fifth.
  if (AcceptsGzip(request.http.accept_encoding)) {
    if (auto compressed = Gzip(*response.body)) {
      response.body = std::move(*compressed);
      response.headers.emplace_back("Content-Encoding", "gzip");
    }
  }
  return response;
}

HttpResponse Healthy(const Request&, State&) { return TextResponse(200, "OK\n"); }

struct Route {
  std::string_view path;
  HttpResponse (*serve)(const Request& request, State& state);
};

constexpr Route kRoutes[] = {
    {"/metrics", &Metrics},
    {"/", &Landing},
    {"/-/healthy", &Healthy},
    {"/ui.js", &UiAssetFile},
    {"/ui.css", &UiAssetFile},
    {"/history.js", &UiAssetFile},
    {"/api/history", &History},
};

// An unauthenticated client learns nothing, not even which paths exist: nullopt when it may pass.
std::optional<HttpResponse> Unauthorized(const HttpRequest& request, State& state) {
  const auto auth = state.Auth();
  if (!auth || !auth->Enabled()) return std::nullopt;
  const auto credentials =
      request.authorization.empty() ? std::nullopt : ParseBasicAuthorization(request.authorization);
  // A scraper that logged in before passes from memory, whatever others are trying meanwhile.
  if (credentials && auth->Remembered(credentials->first, credentials->second)) return std::nullopt;
  // The address without its port: one client's connections share its failures.
  const std::string_view address =
      std::string_view(request.remote_address).substr(0, request.remote_address.rfind(':'));
  if (credentials && state.logins.Blocked(address)) {
    // Too many failures from this address this minute: no bcrypt for this try.
    auto response = TextResponse(429, "too many failed logins, try again in a minute\n");
    response.headers.emplace_back("Retry-After", "60");
    return response;
  }
  if (credentials && auth->Allows(credentials->first, credentials->second)) return std::nullopt;
  if (credentials) state.logins.Failed(address);
  if (state.auth_failures.Allow()) {
    spdlog::warn("authentication failed remote={} user=\"{}\" target=\"{}\"", request.remote_address,
                 credentials ? credentials->first : "", request.target.substr(0, 200));
  }
  auto response = TextResponse(401, "Unauthorized\n");
  response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"silicon_exporter\"");
  return response;
}

HttpResponse Answer(const HttpRequest& http, State& state) {
  if (auto refused = Unauthorized(http, state)) return std::move(*refused);
  const bool head = http.method == "HEAD";
  if (http.method != "GET" && !head) {
    auto response = TextResponse(405, "method not allowed\n");
    response.headers.emplace_back("Allow", "GET, HEAD");
    return response;
  }
  const auto target = ParseRequestTarget(http.target);
  if (!target) return TextResponse(400, "bad request\n");
  const Request request{http, *target, head};
  for (const auto& route : kRoutes) {
    if (route.path == target->path) return route.serve(request, state);
  }
  return TextResponse(404, "not found\n");
}

}  // namespace

WebServer::WebServer(const WebOptions& options,
                     const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables)
    : state_(std::make_unique<State>()) {
  state_->landing_page = LandingPage(options.collector_names);
  state_->ui = options.ui;
  state_->history = options.history;
  state_->auth = options.auth;
  state_->collectables = collectables;

  HttpServerOptions http;
  http.listen_address = options.listen_address;
  http.workers = WorkerCount(options.max_requests);
  http.max_connections = options.max_connections;
  http.tls = options.tls;
  http.stats = options.connection_stats;
  server_ = std::make_unique<HttpServer>(http, [state = state_.get()](const HttpRequest& request) {
    return Answer(request, *state);
  });
}

WebServer::~WebServer() = default;  // server_ first: it finishes requests in flight, then state_ goes

void WebServer::Update(const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables,
                       std::shared_ptr<const BasicAuth> auth, const std::vector<std::string>& collector_names) {
  const std::lock_guard lock(state_->swap_mutex);
  state_->collectables = collectables;
  state_->auth = std::move(auth);
  state_->landing_page = LandingPage(collector_names);
}

int WorkerCount(int max_requests) {
  return max_requests <= 0 ? kMaxWorkers : std::min(max_requests, kMaxWorkers);
}

int WebServer::Port() const { return server_->Port(); }

}  // namespace silicon
