#include "collectors/docker/docker_client.h"

#include <curl/curl.h>
#include <dlfcn.h>

#include <mutex>
#include <type_traits>

namespace silicon {
namespace {

// Answers larger than this are not what the Engine API sends for our requests; refuse to buffer more.
constexpr std::size_t kMaxResponseBytes = 16u << 20;

// libcurl is loaded on first use rather than linked: with its TLS, LDAP and Kerberos
// dependencies it adds ~5 MB of RSS, which a machine without Docker should not pay
// (measured: 13.0 MB linked vs 7 MB without, for the cpu/memory/pressure/thermal set).
struct CurlApi {
  CURLcode (*global_init)(long) = nullptr;
  CURL* (*easy_init)() = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  const char* (*easy_strerror)(CURLcode) = nullptr;
  std::string error;  // why it could not be loaded
};

const CurlApi& Curl() {
  static const CurlApi api = [] {
    CurlApi loaded;
#if defined(__APPLE__)
    // By absolute path: the system's libcurl; a name alone would follow DYLD_* and the working folder.
    void* handle = dlopen("/usr/lib/libcurl.4.dylib", RTLD_NOW | RTLD_LOCAL);
#else
    void* handle = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
#endif
    if (!handle) {
      loaded.error = std::string("cannot load libcurl: ") + dlerror();
      return loaded;
    }
    const auto load = [handle](auto& function, const char* symbol) {
      function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(dlsym(handle, symbol));
      return function != nullptr;
    };
    if (!load(loaded.global_init, "curl_global_init") || !load(loaded.easy_init, "curl_easy_init") ||
        !load(loaded.easy_setopt, "curl_easy_setopt") || !load(loaded.easy_perform, "curl_easy_perform") ||
        !load(loaded.easy_getinfo, "curl_easy_getinfo") || !load(loaded.easy_cleanup, "curl_easy_cleanup") ||
        !load(loaded.easy_strerror, "curl_easy_strerror")) {
      loaded.error = "libcurl lacks a function this client needs";
      return loaded;
    }
    loaded.global_init(CURL_GLOBAL_DEFAULT);  // once, here, before any thread uses curl
    return loaded;
  }();
  if (!api.error.empty()) throw DockerTransportError(api.error);
  return api;
}

struct Buffer {
  std::string data;
  bool overflow = false;
};

size_t CollectBody(char* data, size_t size, size_t count, void* user) {
  auto* buffer = static_cast<Buffer*>(user);
  const size_t bytes = size * count;
  if (buffer->data.size() + bytes > kMaxResponseBytes) {
    buffer->overflow = true;
    return 0;  // makes curl fail the transfer
  }
  buffer->data.append(data, bytes);
  return bytes;
}

struct StreamState {
  std::string pending;
  const std::function<void(std::string_view)>* on_line;
  const std::function<bool()>* should_stop;
};

size_t CollectLines(char* data, size_t size, size_t count, void* user) {
  auto* state = static_cast<StreamState*>(user);
  const size_t bytes = size * count;
  state->pending.append(data, bytes);
  std::size_t newline;
  while ((newline = state->pending.find('\n')) != std::string::npos) {
    (*state->on_line)(std::string_view(state->pending).substr(0, newline));
    state->pending.erase(0, newline + 1);
  }
  if (state->pending.size() > kMaxResponseBytes) return 0;  // a line that never ends
  return bytes;
}

int StopWhenAsked(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return (*static_cast<StreamState*>(user)->should_stop)() ? 1 : 0;
}

void Configure(CURL* curl, const DockerEndpoint& endpoint, const std::string& path) {
  const auto& api = Curl();
  api.easy_setopt(curl, CURLOPT_URL, (endpoint.base_url + path).c_str());
  if (!endpoint.unix_socket.empty()) api.easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, endpoint.unix_socket.c_str());
  api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we are multi-threaded
  api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
}

}  // namespace

namespace {

DockerEndpoint EndpointOf(const std::string& host) {
  if (host.starts_with("unix://")) return DockerEndpoint{host.substr(7), "http://localhost"};
  if (host.starts_with("tcp://")) return DockerEndpoint{"", "http://" + host.substr(6)};
  throw std::invalid_argument("Docker host '" + host + "' is not unix:// or tcp:// (ssh and TLS are not supported)");
}

}  // namespace

std::optional<DockerEndpoint> DiscoverDockerEndpoint(const std::optional<std::string>& docker_host,
                                                     const std::optional<std::string>& context_host,
                                                     const std::string& home,
                                                     const std::function<bool(const std::string&)>& socket_exists) {
  if (docker_host && !docker_host->empty()) return EndpointOf(*docker_host);
  if (context_host && !context_host->empty()) return EndpointOf(*context_host);
  if (socket_exists("/var/run/docker.sock")) return DockerEndpoint{"/var/run/docker.sock", "http://localhost"};
  if (home.empty()) return std::nullopt;
  for (const char* socket : {"/.docker/run/docker.sock", "/.colima/default/docker.sock", "/.orbstack/run/docker.sock",
                             "/.rd/docker.sock"}) {
    if (socket_exists(home + socket)) return DockerEndpoint{home + socket, "http://localhost"};
  }
  return std::nullopt;
}

DockerClient::DockerClient(DockerEndpoint endpoint, double timeout_seconds)
    : endpoint_(std::move(endpoint)), timeout_ms_(static_cast<long>(timeout_seconds * 1000)) {}

DockerClient::~DockerClient() {
  if (curl_) Curl().easy_cleanup(static_cast<CURL*>(curl_));
}

void* DockerClient::Handle() {
  if (!curl_) curl_ = Curl().easy_init();
  if (!curl_) throw DockerTransportError("curl_easy_init failed");
  return curl_;
}

std::string DockerClient::Get(const std::string& path) {
  auto* curl = static_cast<CURL*>(Handle());
  const auto& api = Curl();
  Buffer body;
  Configure(curl, endpoint_, path);
  api.easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, &CollectBody);
  api.easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  // Bounded: a hung daemon costs one timeout, never a hung scrape.
  api.easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms_);
  api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms_);
  const CURLcode rc = api.easy_perform(curl);
  if (body.overflow) throw DockerTransportError("Docker API answer larger than 16 MiB");
  if (rc != CURLE_OK) throw DockerTransportError(std::string("Docker API: ") + api.easy_strerror(rc));
  long status = 0;
  api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    throw DockerTransportError("Docker API answered HTTP " + std::to_string(status) + " for " + path);
  }
  return std::move(body.data);
}

void DockerClient::Stream(const std::string& path, const std::function<void(std::string_view)>& on_line,
                          const std::function<bool()>& should_stop, double stall_seconds) {
  const auto& api = Curl();
  CURL* curl = api.easy_init();  // a stream owns its connection for as long as it runs
  if (!curl) throw DockerTransportError("curl_easy_init failed");
  StreamState state{{}, &on_line, &should_stop};
  Configure(curl, endpoint_, path);
  api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, &CollectLines);
  api.easy_setopt(curl, CURLOPT_WRITEDATA, &state);
  api.easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  api.easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &StopWhenAsked);
  api.easy_setopt(curl, CURLOPT_XFERINFODATA, &state);
  api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms_);
  api.easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  api.easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(stall_seconds));
  api.easy_perform(curl);  // returns when stopped, closed or stalled: the caller decides to retry
  api.easy_cleanup(curl);
}

}  // namespace silicon
