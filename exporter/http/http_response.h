#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace silicon {

/// One answer; SerializeHead is the only place that formats a status line and headers.
struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  /// nullopt: no Content-Length (HEAD /metrics, whose length only a scrape would know).
  std::optional<std::string> body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones (Allow, Content-Encoding...)
};

/// A plain-text response.
HttpResponse TextResponse(int status, std::string body);

/// The status line and headers, with "Content-Length" when the body is known (also for HEAD, which
/// sends no body) and "Connection: close" when the server closes the connection after it; the
/// server sends the body after them as it is.
std::string SerializeHead(const HttpResponse& response, bool keep_alive);

/// The reason phrase of the statuses this server sends ("Unknown" for others).
std::string_view ReasonPhrase(int status);

}  // namespace silicon
