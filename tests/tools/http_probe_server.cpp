// The real HttpServer with one route whose answer has the size the client asks for, so that tests
// can send bodies of every size (1 B, one TLS record +/- 1, 1 MiB) over plain HTTP and TLS.
//
// usage: http_probe_server PORT_FILE [WEB_CONFIG]
//   GET /bytes/N           N bytes of text
//   GET /bytes/N?gzip      N bytes that do not compress, gzipped when Accept-Encoding allows it
//                          (so the compressed body is about N bytes too)
// Writes the bound port to PORT_FILE once serving; runs until SIGTERM or SIGINT.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "exporter/exposition.h"
#include "exporter/http/http_server.h"
#include "exporter/web_config.h"

namespace {

constexpr std::size_t kMaxBytes = 64 * 1024 * 1024;

std::string Text(std::size_t size) {
  std::string body(size, 'x');
  for (std::size_t i = 79; i < size; i += 80) body[i] = '\n';
  return body;
}

std::string Incompressible(std::size_t size) {
  std::mt19937 random(42);
  std::string body(size, '\0');
  for (auto& c : body) c = static_cast<char>(random() & 0xff);
  return body;
}

silicon::HttpResponse Answer(const silicon::HttpRequest& request) {
  constexpr std::string_view kPrefix = "/bytes/";
  if (request.target.rfind(kPrefix, 0) != 0) return silicon::TextResponse(404, "not found\n");
  const std::string rest = request.target.substr(kPrefix.size());
  const bool gzip = rest.find("?gzip") != std::string::npos;
  std::size_t size = 0;
  try {
    size = std::stoul(rest);
  } catch (const std::exception&) {
    return silicon::TextResponse(400, "bad size\n");
  }
  if (size > kMaxBytes) return silicon::TextResponse(400, "too large\n");
  silicon::HttpResponse response{200, "application/octet-stream", gzip ? Incompressible(size) : Text(size), {}};
  if (gzip && silicon::AcceptsGzip(request.accept_encoding)) {
    if (auto compressed = silicon::Gzip(*response.body)) {
      response.body = std::move(*compressed);
      response.headers.emplace_back("Content-Encoding", "gzip");
    }
  }
  return response;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PORT_FILE [WEB_CONFIG]\n", argv[0]);
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // the server's threads inherit the mask

  silicon::HttpServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.workers = 2;
  if (argc > 2) options.tls = silicon::LoadWebConfig(argv[2]).tls;
  silicon::HttpServer server(options, Answer);
  std::ofstream(argv[1]) << server.Port() << '\n';

  int signal = 0;
  sigwait(&signals, &signal);
  return 0;
}
