#include "exporter/health_check.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "core/text_file.h"

namespace silicon {
namespace {

// An answer to GET /-/healthy is "OK\n" and a few headers; more than this is not our exporter.
constexpr std::size_t kMaxResponseBytes = 4096;

struct SocketCloser {
  void operator()(const int* fd) const {
    close(*fd);
    delete fd;
  }
};
using Socket = std::unique_ptr<int, SocketCloser>;

// host:port as a URL writes it, IPv6 in brackets.
std::string Authority(const HealthCheckTarget& target) {
  const bool ipv6 = target.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + target.host + "]" : target.host) + ":" + target.port;
}

// A blocking TCP connection whose connect, send and receive each give up after timeout_seconds
// (Linux applies SO_SNDTIMEO to connect too). nullptr with why in error.
Socket Connect(const HealthCheckTarget& target, double timeout_seconds, std::string& error) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int rc = getaddrinfo(target.host.c_str(), target.port.c_str(), &hints, &found); rc != 0) {
    error = std::string("cannot resolve ") + target.host + ": " + gai_strerror(rc);
    return nullptr;
  }
  const std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, &freeaddrinfo);
  timeval timeout{};
  timeout.tv_sec = static_cast<time_t>(timeout_seconds);
  timeout.tv_usec = static_cast<suseconds_t>((timeout_seconds - static_cast<double>(timeout.tv_sec)) * 1e6);
  error = "no address for " + target.host;
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    Socket socket(new int(::socket(address->ai_family, address->ai_socktype, address->ai_protocol)));
    if (*socket < 0) continue;
    setsockopt(*socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    setsockopt(*socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    if (connect(*socket, address->ai_addr, address->ai_addrlen) == 0) return socket;
    error = "cannot connect to " + Authority(target);
  }
  return nullptr;
}

// Sends the request and reads the answer until the server closes (HTTP/1.0: it always does).
std::optional<std::string> Get(int fd, const std::string& request) {
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) return std::nullopt;
  std::string response;
  char buffer[1024];
  while (response.size() < kMaxResponseBytes) {
    const auto got = recv(fd, buffer, sizeof buffer, 0);
    if (got <= 0) break;
    response.append(buffer, static_cast<std::size_t>(got));
  }
  return response;
}

}  // namespace

std::optional<HealthCheckTarget> HealthCheckTargetFor(const std::string& listen_address) {
  const auto colon = listen_address.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string host = listen_address.substr(0, colon);
  const std::string port = listen_address.substr(colon + 1);
  const auto number = ParseInteger(port);
  if (!number || *number <= 0 || *number > 65535) return std::nullopt;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  return HealthCheckTarget{host, port};
}

bool IsHealthyStatus(int status, bool basic_auth) { return status == 200 || (basic_auth && status == 401); }

std::optional<int> ParseStatusLine(const std::string& response) {
  // "HTTP/1.x NNN ...": the code is the three digits after the first space.
  if (!response.starts_with("HTTP/")) return std::nullopt;
  const auto space = response.find(' ');
  if (space == std::string::npos || response.size() < space + 4) return std::nullopt;
  const auto code = ParseInteger(response.substr(space + 1, 3));
  if (!code || *code < 100 || *code > 599) return std::nullopt;
  return static_cast<int>(*code);
}

int RunHealthCheck(const std::string& listen_address, bool tls, bool basic_auth, double timeout_seconds) {
  const auto target = HealthCheckTargetFor(listen_address);
  if (!target) {
    std::fprintf(stderr, "health check: cannot check listen address '%s' (port 0 or none)\n", listen_address.c_str());
    return 1;
  }
  std::string error;
  const auto socket = Connect(*target, timeout_seconds, error);
  if (!socket) {
    std::fprintf(stderr, "health check: %s\n", error.c_str());
    return 1;
  }
  const std::string authority = Authority(*target);
  if (tls) {
    // OpenSSL lives in the TLS module (exporter/http/tls_module.h), loaded only by a server with
    // tls_server_config; the check does not load it, so over TLS it checks the listener only.
    std::printf("health check: %s accepts connections (TLS: no HTTP request made): healthy\n", authority.c_str());
    return 0;
  }
  const std::string url = "http://" + authority + "/-/healthy";
  // HTTP/1.0: the server closes the connection after its answer, which ends the read.
  const auto response = Get(*socket, "GET /-/healthy HTTP/1.0\r\nHost: " + authority + "\r\n\r\n");
  const int status = response ? ParseStatusLine(*response).value_or(0) : 0;  // 0: no HTTP answer
  if (status == 0) {
    std::fprintf(stderr, "health check: no HTTP answer from %s\n", url.c_str());
    return 1;
  }
  const bool healthy = IsHealthyStatus(status, basic_auth);
  std::fprintf(healthy ? stdout : stderr, "health check: %s answered %d: %s\n", url.c_str(), status,
               healthy ? "healthy" : "unhealthy");
  return healthy ? 0 : 1;
}

}  // namespace silicon
