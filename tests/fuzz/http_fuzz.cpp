// libFuzzer target: arbitrary bytes as an HTTP request to the real web server (Beast's parser on
// our Asio event loop, the connection table, the worker pool, routing, basic auth, gzip
// negotiation, the exposition), over loopback. Every input must get an answer or a closed connection within the timeout, never a
// crash or a hang; a last well-formed scrape after each input checks the server still serves.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "exporter/http/web_auth.h"
#include "exporter/web_server.h"

namespace {

// A connected socket to the server. Closed with a reset (linger 0): thousands of inputs a second
// would otherwise leave every ephemeral port in TIME_WAIT within a minute and connect would fail
// (seen once: the harness, not the server, was what broke).
int Connect(int port) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) std::abort();
    const linger reset{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    timeval timeout{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) return fd;
    close(fd);
    usleep(10000);
  }
  std::abort();  // a second of refused connections: the server is gone
}

// Sends request, half-closes, reads until the server closes or 2 s pass; returns the answer.
std::string Exchange(int port, const std::string& request) {
  const int fd = Connect(port);
  std::size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early on garbage
    sent += static_cast<std::size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  std::string answer;
  char buffer[16384];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<std::size_t>(n));
  close(fd);
  return answer;
}

struct Server {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  std::unique_ptr<silicon::WebServer> web;
  Server() {
    prometheus::BuildCounter().Name("fuzz_requests_total").Help("h").Register(*registry).Add({{"a", "b"}});
    // prometheus:s3cret, so inputs can reach past authentication.
    auto auth = std::make_shared<silicon::BasicAuth>(std::map<std::string, std::string>{
        {"prometheus", "$2b$04$tzSyytl3R8owe3LQh1aV3.SkIttsKfBypBvp25ikFvUJhFiBIO8DW"}});
    web = std::make_unique<silicon::WebServer>(silicon::WebOptions{"127.0.0.1:0", 4, 64, {"fuzz"}, auth, std::nullopt},
                                               std::vector<std::weak_ptr<prometheus::Collectable>>{registry});
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Server server;
  const int port = server.web->Port();
  (void)Exchange(port, std::string(reinterpret_cast<const char*>(data), size));
  // Health after every input: a plain request must still be answered.
  // Three tries, as a busy machine may stall one past the 2 s receive timeout.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto answer = Exchange(port, "GET /-/healthy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                       "Authorization: Basic cHJvbWV0aGV1czpzM2NyZXQ=\r\n\r\n");
    if (answer.rfind("HTTP/1.1 200", 0) == 0) return 0;
  }
  std::abort();  // the server no longer answers a plain request
}
