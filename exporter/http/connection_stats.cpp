#include "exporter/http/connection_stats.h"

#include <string>

#include "core/metric_builder.h"

namespace silicon {

std::string_view CloseReasonName(CloseReason reason) {
  switch (reason) {
    case CloseReason::kClient: return "client";
    case CloseReason::kHeaderTimeout: return "header_timeout";
    case CloseReason::kIdleTimeout: return "idle_timeout";
    case CloseReason::kWriteTimeout: return "write_timeout";
    case CloseReason::kEvicted: return "evicted";
    case CloseReason::kNoRoom: return "no_room";
    case CloseReason::kTlsHandshake: return "tls_handshake";
    case CloseReason::kBadRequest: return "bad_request";
    case CloseReason::kDone: return "done";
    case CloseReason::kShutdown: return "shutdown";
  }
  return "unknown";
}

std::vector<prometheus::MetricFamily> ConnectionFamilies(const ConnectionStats& stats) {
  std::vector<prometheus::MetricFamily> out;
  auto open = GaugeFamily("silicon_http_connections", "Connections the web server holds now.");
  AddSample(open, static_cast<double>(stats.open.load()));
  out.push_back(std::move(open));
  auto accepted = CounterFamily("silicon_http_connections_accepted_total", "Connections the web server accepted.");
  AddSample(accepted, static_cast<double>(stats.accepted.load()));
  out.push_back(std::move(accepted));
  auto closed = CounterFamily("silicon_http_connections_closed_total",
                              "Connections the web server ended (or refused at accept), by reason.");
  for (std::size_t i = 0; i < kCloseReasons; ++i) {
    AddSample(closed, static_cast<double>(stats.closed[i].load()),
              {{"reason", std::string(CloseReasonName(static_cast<CloseReason>(i)))}});
  }
  out.push_back(std::move(closed));
  return out;
}

}  // namespace silicon
