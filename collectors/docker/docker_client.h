#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace silicon {

/// Where the Docker Engine API listens: a unix socket, or an http:// base URL (tcp://host:port).
struct DockerEndpoint {
  std::string unix_socket;  // empty for TCP
  std::string base_url;     // "http://localhost" over the socket, "http://host:2375" over TCP
};

/// The docker CLI's order: DOCKER_HOST, then the current context's endpoint (docker_context.h),
/// then /var/run/docker.sock; then the sockets of the Mac engines, which a LaunchAgent finds by no
/// other way: ~/.docker/run/docker.sock (Docker Desktop), ~/.colima/default/docker.sock (Colima),
/// ~/.orbstack/run/docker.sock (OrbStack), ~/.rd/docker.sock (Rancher Desktop). nullopt when none
/// is there; throws std::invalid_argument for a host this client cannot speak (ssh://, tcp with TLS).
std::optional<DockerEndpoint> DiscoverDockerEndpoint(const std::optional<std::string>& docker_host,
                                                     const std::optional<std::string>& context_host,
                                                     const std::string& home,
                                                     const std::function<bool(const std::string&)>& socket_exists);

/// The daemon could not be reached, timed out, or answered with an HTTP error.
class DockerTransportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A small Engine API client on libcurl (unix sockets included). Not thread-safe: one per thread.
class DockerClient {
 public:
  DockerClient(DockerEndpoint endpoint, double timeout_seconds);
  ~DockerClient();
  DockerClient(const DockerClient&) = delete;
  DockerClient& operator=(const DockerClient&) = delete;

  /// GET path (e.g. "/v1.41/containers/json"), the body of a 2xx answer; throws DockerTransportError.
  std::string Get(const std::string& path);

  /// GET path as a stream, calling on_line for each '\n'-terminated line until should_stop()
  /// returns true, the daemon closes it, or nothing arrives for stall_seconds.
  void Stream(const std::string& path, const std::function<void(std::string_view)>& on_line,
              const std::function<bool()>& should_stop, double stall_seconds);

 private:
  void* Handle();  // the reused CURL easy handle (keeps the connection alive between scrapes)
  DockerEndpoint endpoint_;
  long timeout_ms_;
  void* curl_ = nullptr;
};

}  // namespace silicon
