#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

struct mg_connection;

namespace silicon {

/// One answer, written by WriteResponse: the only place that formats a status line and headers.
struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  /// nullopt: no Content-Length (HEAD /metrics, whose length only a scrape would know).
  std::optional<std::string> body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones (Allow, Content-Encoding...)
};

/// A plain-text response.
HttpResponse TextResponse(int status, std::string body);

/// Writes the response in one send; the body is left out for HEAD. Returns the status.
int WriteResponse(mg_connection* conn, const HttpResponse& response, bool head);

}  // namespace silicon
