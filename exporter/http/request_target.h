#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace silicon {

/// The path and query of a request line's target.
struct RequestTarget {
  std::string path;
  std::string query;
};

/// Splits a request target in origin form ("/metrics?x"), absolute form ("http://host/metrics",
/// which RFC 9112 section 3.2.2 says a server must accept) or asterisk form ("*"); nullopt for the
/// authority form and anything else. The path is taken as sent: no decoding, no dot segments.
std::optional<RequestTarget> ParseRequestTarget(std::string_view target);

}  // namespace silicon
