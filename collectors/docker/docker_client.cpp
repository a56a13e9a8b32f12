#include "collectors/docker/docker_client.h"

#include <curl/curl.h>

#include <mutex>

namespace silicon {
namespace {

// Answers larger than this are not what the Engine API sends for our requests; refuse to buffer more.
constexpr std::size_t kMaxResponseBytes = 16u << 20;

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
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
  curl_easy_setopt(curl, CURLOPT_URL, (endpoint.base_url + path).c_str());
  if (!endpoint.unix_socket.empty()) curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, endpoint.unix_socket.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we are multi-threaded
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http");
}

}  // namespace

std::optional<DockerEndpoint> DiscoverDockerEndpoint(const std::optional<std::string>& docker_host,
                                                     const std::string& home,
                                                     const std::function<bool(const std::string&)>& socket_exists) {
  if (docker_host && !docker_host->empty()) {
    const std::string& host = *docker_host;
    if (host.starts_with("unix://")) return DockerEndpoint{host.substr(7), "http://localhost"};
    if (host.starts_with("tcp://")) return DockerEndpoint{"", "http://" + host.substr(6)};
    throw std::invalid_argument("DOCKER_HOST '" + host + "' is not unix:// or tcp:// (ssh and TLS are not supported)");
  }
  for (const std::string& socket : {std::string("/var/run/docker.sock"), home + "/.docker/run/docker.sock"}) {
    if (!home.empty() || socket.front() == '/') {
      if (socket_exists(socket)) return DockerEndpoint{socket, "http://localhost"};
    }
  }
  return std::nullopt;
}

DockerClient::DockerClient(DockerEndpoint endpoint, double timeout_seconds)
    : endpoint_(std::move(endpoint)), timeout_ms_(static_cast<long>(timeout_seconds * 1000)) {
  GlobalInitOnce();
}

DockerClient::~DockerClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void* DockerClient::Handle() {
  if (!curl_) curl_ = curl_easy_init();
  if (!curl_) throw DockerTransportError("curl_easy_init failed");
  return curl_;
}

std::string DockerClient::Get(const std::string& path) {
  auto* curl = static_cast<CURL*>(Handle());
  Buffer body;
  Configure(curl, endpoint_, path);
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &CollectBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  // Bounded: a hung daemon costs one timeout, never a hung scrape.
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms_);
  const CURLcode rc = curl_easy_perform(curl);
  if (body.overflow) throw DockerTransportError("Docker API answer larger than 16 MiB");
  if (rc != CURLE_OK) throw DockerTransportError(std::string("Docker API: ") + curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    throw DockerTransportError("Docker API answered HTTP " + std::to_string(status) + " for " + path);
  }
  return std::move(body.data);
}

void DockerClient::Stream(const std::string& path, const std::function<void(std::string_view)>& on_line,
                          const std::function<bool()>& should_stop, double stall_seconds) {
  CURL* curl = curl_easy_init();  // a stream owns its connection for as long as it runs
  if (!curl) throw DockerTransportError("curl_easy_init failed");
  StreamState state{{}, &on_line, &should_stop};
  Configure(curl, endpoint_, path);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &CollectLines);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &StopWhenAsked);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &state);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(stall_seconds));
  curl_easy_perform(curl);  // returns when stopped, closed or stalled: the caller decides to retry
  curl_easy_cleanup(curl);
}

}  // namespace silicon
