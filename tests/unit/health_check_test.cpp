#include "tests/unit/catch.h"

#include "exporter/health_check.h"

using namespace silicon;

TEST_CASE("health check connects to loopback for a wildcard listen address", "[health_check]") {
  const auto all = HealthCheckTargetFor(":10025");
  REQUIRE(all);
  CHECK(all->host == "127.0.0.1");
  CHECK(all->port == "10025");
  CHECK(HealthCheckTargetFor("0.0.0.0:9100").value().host == "127.0.0.1");
  CHECK(HealthCheckTargetFor("[::]:10025").value().host == "::1");
  CHECK(HealthCheckTargetFor("[::1]:10025").value().host == "::1");
  CHECK(HealthCheckTargetFor("127.0.0.1:10025").value().host == "127.0.0.1");
  CHECK(HealthCheckTargetFor("192.168.1.20:10025").value().host == "192.168.1.20");
  CHECK(HealthCheckTargetFor("localhost:10025").value().host == "localhost");
}

TEST_CASE("health check refuses addresses it cannot reach", "[health_check]") {
  CHECK_FALSE(HealthCheckTargetFor("127.0.0.1:0"));  // a port the kernel picks: unknown to the check
  CHECK_FALSE(HealthCheckTargetFor("10025"));
  CHECK_FALSE(HealthCheckTargetFor("127.0.0.1:"));
  CHECK_FALSE(HealthCheckTargetFor("127.0.0.1:70000"));
}

TEST_CASE("health check reads the status line", "[health_check]") {
  CHECK(ParseStatusLine("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nOK\n") == 200);
  CHECK(ParseStatusLine("HTTP/1.0 401 Unauthorized\r\n\r\n") == 401);
  CHECK_FALSE(ParseStatusLine(""));
  CHECK_FALSE(ParseStatusLine("HTTP/1.1"));
  CHECK_FALSE(ParseStatusLine("HTTP/1.1 2x0 OK"));
  CHECK_FALSE(ParseStatusLine("SSH-2.0-OpenSSH_9.2\r\n"));
  CHECK_FALSE(ParseStatusLine("\x15\x03\x01\x00\x02\x02\x46"));  // a TLS alert: plain HTTP to a TLS port
}

TEST_CASE("health check counts a login prompt as up only with basic auth", "[health_check]") {
  CHECK(IsHealthyStatus(200, false));
  CHECK(IsHealthyStatus(401, true));
  CHECK_FALSE(IsHealthyStatus(401, false));
  CHECK_FALSE(IsHealthyStatus(503, true));
  CHECK_FALSE(IsHealthyStatus(404, false));
}
