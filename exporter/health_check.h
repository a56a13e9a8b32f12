#pragma once

#include <optional>
#include <string>

namespace silicon {

/// Where a health check connects to reach an exporter listening on a listen address.
struct HealthCheckTarget {
  std::string host;  // an address or name to connect to, IPv6 without brackets
  std::string port;
};

/// The address to check for --web.listen-address: a wildcard host ("", 0.0.0.0, [::]) becomes the
/// matching loopback address, since the check runs on the same machine (or in the same container).
/// nullopt for port 0, which listens on a port nobody can know in advance.
std::optional<HealthCheckTarget> HealthCheckTargetFor(const std::string& listen_address);

/// Whether an HTTP status from /-/healthy means the exporter is up. With basic auth configured
/// every path asks for a login (the check has only the bcrypt hashes, not the passwords), so a 401
/// is the exporter answering too.
bool IsHealthyStatus(int status, bool basic_auth);

/// The status code of the first line of an HTTP response ("HTTP/1.1 200 OK" -> 200); nullopt when
/// the text is no HTTP status line.
std::optional<int> ParseStatusLine(const std::string& response);

/// GETs /-/healthy from the exporter configured by these settings, as the container image's
/// HEALTHCHECK does (the image has no curl or wget). With TLS turned on by the web config it only
/// connects: OpenSSL is in the TLS module, which the check does not load. Prints one line saying
/// what it found; 0 when healthy, 1 otherwise.
int RunHealthCheck(const std::string& listen_address, bool tls, bool basic_auth, double timeout_seconds);

}  // namespace silicon
