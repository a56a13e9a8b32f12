#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

namespace silicon {

/// Why the server ended a connection (or never took it in).
enum class CloseReason {
  kClient,          // the client closed or reset it
  kHeaderTimeout,   // its request (or TLS handshake) was not complete by the header deadline
  kIdleTimeout,     // kept alive with no next request for the idle timeout
  kWriteTimeout,    // its response was not taken in time
  kEvicted,         // closed to make room for a new connection (ConnectionTable)
  kNoRoom,          // refused at accept: every place was answering a request
  kTlsHandshake,    // the TLS handshake failed
  kBadRequest,      // bytes that are no HTTP request (or too large): 400, 413 or 431, then closed
  kDone,            // closed after a response without keep-alive
  kShutdown,        // the exporter is stopping
};
constexpr std::size_t kCloseReasons = 10;

/// The label value of a reason.
std::string_view CloseReasonName(CloseReason reason);

/// What the web server did with connections: written by its event loop, read by scrapes. Shows
/// an attack, or a client that keeps opening connections, in Prometheus itself.
struct ConnectionStats {
  std::atomic<std::uint64_t> accepted{0};
  std::atomic<std::int64_t> open{0};
  std::array<std::atomic<std::uint64_t>, kCloseReasons> closed{};

  void Count(CloseReason reason) { closed[static_cast<std::size_t>(reason)].fetch_add(1, std::memory_order_relaxed); }
};

/// silicon_http_connections_* families of the stats (pure, apart from reading the atomics).
std::vector<prometheus::MetricFamily> ConnectionFamilies(const ConnectionStats& stats);

}  // namespace silicon
