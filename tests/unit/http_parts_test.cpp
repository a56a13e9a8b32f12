#include "tests/unit/catch.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "exporter/http/connection_stats.h"
#include "exporter/http/descriptor_limit.h"
#include "exporter/http/connection_table.h"
#include "exporter/http/http_response.h"
#include "exporter/http/request_target.h"
#include "exporter/http/loop_threads.h"
#include "exporter/http/render_slots.h"

using namespace silicon;

TEST_CASE("request targets: origin, absolute and asterisk forms", "[web][parser][bad-input]") {
  auto origin = ParseRequestTarget("/metrics?format=text");
  REQUIRE(origin);
  CHECK(origin->path == "/metrics");
  CHECK(origin->query == "format=text");
  CHECK(ParseRequestTarget("/")->path == "/");
  CHECK(ParseRequestTarget("/-/healthy")->query.empty());

  // RFC 9112 3.2.2: a server must accept the absolute form, and routes on its path.
  auto absolute = ParseRequestTarget("http://127.0.0.1:10025/metrics?x=1");
  REQUIRE(absolute);
  CHECK(absolute->path == "/metrics");
  CHECK(absolute->query == "x=1");
  CHECK(ParseRequestTarget("HTTPS://host")->path == "/");
  CHECK(ParseRequestTarget("http://host?q")->path == "/");
  CHECK(ParseRequestTarget("http://host?q")->query == "q");

  CHECK(ParseRequestTarget("*")->path == "*");  // OPTIONS *: answered 405 like every other method

  // The authority form (CONNECT's) and anything else is no path we serve.
  CHECK_FALSE(ParseRequestTarget("127.0.0.1:10025"));
  CHECK_FALSE(ParseRequestTarget(""));
  CHECK_FALSE(ParseRequestTarget("metrics"));
  CHECK_FALSE(ParseRequestTarget("ftp://host/metrics"));
  CHECK_FALSE(ParseRequestTarget("http:/metrics"));
}

TEST_CASE("responses: status line, headers, length, keep-alive", "[web]") {
  // The head only: the body goes out after it as the handler made it (Write), HEAD without it.
  HttpResponse ok = TextResponse(200, "OK\n");
  ok.headers.emplace_back("Allow", "GET, HEAD");
  const std::string text = SerializeHead(ok, true);
  CHECK(text ==
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n"
        "Cache-Control: no-store\r\nAllow: GET, HEAD\r\nContent-Length: 3\r\n\r\n");

  // The body's length, whether or not it is sent; closing: said so.
  const std::string head = SerializeHead(TextResponse(404, "not found\n"), false);
  CHECK(head.rfind("HTTP/1.1 404 Not Found\r\n", 0) == 0);
  CHECK(head.find("Content-Length: 10\r\n") != std::string::npos);
  CHECK(head.find("Connection: close\r\n") != std::string::npos);
  CHECK(head.substr(head.size() - 4) == "\r\n\r\n");

  // No body known (HEAD /metrics): no Content-Length at all.
  const std::string unknown = SerializeHead(HttpResponse{200, "text/plain", std::nullopt, {}}, true);
  CHECK(unknown.find("Content-Length") == std::string::npos);

  CHECK(ReasonPhrase(431) == "Request Header Fields Too Large");
  CHECK(ReasonPhrase(503) == "Service Unavailable");
  CHECK(ReasonPhrase(299) == "Unknown");
}

namespace {
using Clock = ConnectionTable::Clock;
const Clock::time_point t0{};
Clock::time_point At(int ms) { return t0 + std::chrono::milliseconds(ms); }
}  // namespace

TEST_CASE("connection table: idle holders go before a newcomer, which gets its grace", "[web][connections]") {
  // The held-back attack: keep-alive holders fill the table and reconnect when evicted. The
  // scraper's new connection (4) must not be what their reconnects evict.
  ConnectionTable table({3, std::chrono::milliseconds(1000), std::chrono::milliseconds(1000)});
  CHECK(table.Admit(1, At(0)).admitted);
  CHECK(table.Admit(2, At(0)).admitted);
  CHECK(table.Admit(3, At(0)).admitted);
  CHECK(table.Size() == 3);
  for (std::uint64_t id : {1, 2, 3}) table.Set(id, ConnectionPhase::kIdle, At(10));

  auto scraper = table.Admit(4, At(100));  // full: the longest-idle holder makes room
  CHECK(scraper.admitted);
  REQUIRE(scraper.evict);
  CHECK(*scraper.evict == 1);
  CHECK(*table.Admit(5, At(101)).evict == 2);  // holder 1 reconnects: holder 2 goes, not 4
  CHECK(*table.Admit(6, At(102)).evict == 3);
  CHECK(table.Size() == 3);

  // Only newcomers left, all within their grace: the one that waited longest goes.
  CHECK(*table.Admit(7, At(103)).evict == 4);

  // Past its grace, a connection that sent nothing goes before one that is answering.
  table.Set(6, ConnectionPhase::kBusy, At(104));
  table.Set(7, ConnectionPhase::kWriting, At(105));
  CHECK(*table.Admit(8, At(1200)).evict == 5);  // 5 waited 1.1 s without a request

  table.Remove(6);
  table.Remove(6);  // twice is harmless (a close racing an eviction)
  CHECK(table.Size() == 2);
  auto after = table.Admit(9, At(1201));
  CHECK(after.admitted);
  CHECK_FALSE(after.evict);
  table.Set(5, ConnectionPhase::kIdle, At(1202));  // an unknown id is ignored
  CHECK(table.Size() == 3);
}

TEST_CASE("connection table: an answer nobody reads loses its place once stalled", "[web][connections]") {
  ConnectionTable table({2, std::chrono::milliseconds(1000), std::chrono::milliseconds(1000)});
  table.Admit(1, At(0));
  table.Admit(2, At(0));
  table.Set(1, ConnectionPhase::kBusy, At(1));
  table.Set(2, ConnectionPhase::kBusy, At(1));
  table.Set(1, ConnectionPhase::kWriting, At(2));
  table.Set(2, ConnectionPhase::kWriting, At(3));
  CHECK(table.Busy(1));  // stopping lets a write finish

  // Writing for less than a second: a normal answer, nobody may be closed.
  auto early = table.Admit(3, At(500));
  CHECK_FALSE(early.admitted);
  CHECK_FALSE(early.evict);
  CHECK_FALSE(table.Victim(At(500)));

  // Past a second with nothing read: the longest-stalled writer goes.
  auto late = table.Admit(3, At(1500));
  CHECK(late.admitted);
  REQUIRE(late.evict);
  CHECK(*late.evict == 1);

  // A client that pipelines goes before a writer, stalled or not, and before any newcomer.
  table.Set(2, ConnectionPhase::kPipelining, At(1501));
  CHECK(table.Busy(2));
  CHECK(*table.Victim(At(1502)) == 2);

  // A request with a worker is never closed under it.
  table.Set(2, ConnectionPhase::kBusy, At(1600));
  table.Set(3, ConnectionPhase::kBusy, At(1600));
  CHECK_FALSE(table.Victim(At(100000)));
  CHECK_FALSE(table.Admit(4, At(100000)).admitted);
}

TEST_CASE("connection table: idle connections by how long they waited", "[web][connections]") {
  ConnectionTable table(2);
  table.Admit(1, At(0));
  table.Admit(2, At(0));
  table.Set(1, ConnectionPhase::kIdle, At(1));
  table.Set(2, ConnectionPhase::kIdle, At(2));
  table.Set(1, ConnectionPhase::kBusy, At(3));
  table.Set(1, ConnectionPhase::kIdle, At(4));  // 1 was served again: 2 has waited longer
  CHECK(*table.Admit(3, At(5)).evict == 2);
  CHECK(table.Size() == 2);
}

TEST_CASE("descriptor limit: connections leave room for the collectors' files", "[web][connections]") {
  CHECK(ConnectionsWithin(512, 1048576, 128) == 512);  // a raised limit: what was asked
  CHECK(ConnectionsWithin(512, 1024, 128) == 512);
  CHECK(ConnectionsWithin(2000, 1024, 128) == 896);
  CHECK(ConnectionsWithin(512, 256, 128) == 128);       // ulimit -n 256
  CHECK(ConnectionsWithin(512, 100, 128) == 8);         // never none at all
  CHECK(RaiseDescriptorLimit() >= 256);
}

TEST_CASE("render slots: the rest wait in order; refusal only when every slot is stuck", "[web][slots]") {
  using namespace std::chrono_literals;
  const auto t0 = RenderSlots::Clock::now();
  RenderSlots slots(2, 1000ms);
  CHECK(slots.Arrive(false, t0) == RenderSlots::Turn::kNow);
  const auto first = slots.Begin(t0);
  CHECK(slots.Arrive(false, t0) == RenderSlots::Turn::kNow);
  // One waits already: a newcomer queues behind it even with a slot free (arrival order).
  CHECK(slots.Arrive(true, t0) == RenderSlots::Turn::kWait);
  const auto second = slots.Begin(t0 + 500ms);
  CHECK_FALSE(slots.Free());
  CHECK(slots.Arrive(false, t0 + 1200ms) == RenderSlots::Turn::kWait);    // the second is not stuck yet
  CHECK(slots.Arrive(false, t0 + 1600ms) == RenderSlots::Turn::kRefuse);  // both are
  slots.End(second);
  CHECK(slots.Free());
  CHECK(slots.Arrive(false, t0 + 1600ms) == RenderSlots::Turn::kNow);
  slots.End(first);
  CHECK(RenderSlots(0, 1000ms).Arrive(false, t0) == RenderSlots::Turn::kNow);  // never no slot at all
}

TEST_CASE("loop threads: a stalled handler leaves the loop to another thread", "[web][loop]") {
  using namespace std::chrono_literals;
  namespace net = boost::asio;
  net::io_context io;
  auto work = net::make_work_guard(io);
  std::atomic<bool> release{false};
  std::atomic<int> ticks{0};
  std::atomic<bool> stalled_done{false};
  std::optional<LoopThreads> threads;
  threads.emplace([&] { return io.run_one() > 0; }, [&] { net::post(io, [] {}); }, 2, 50ms);
  // A handler that gives the loop up and then hangs, as a render on a hung sysfs file does...
  net::post(io, [&] {
    threads->Unlocked([&] {
      while (!release) std::this_thread::sleep_for(1ms);
    });
    stalled_done = true;
  });
  // ...does not stop the others: within a few stall periods another thread runs them.
  net::steady_timer timer(io);
  std::function<void()> tick = [&] {
    timer.expires_after(10ms);
    timer.async_wait([&](boost::system::error_code) {
      if (++ticks < 10) tick();
    });
  };
  net::post(io, tick);
  for (int i = 0; i < 200 && ticks < 10; ++i) std::this_thread::sleep_for(10ms);
  CHECK(ticks == 10);
  CHECK(threads->Started() == 2);
  CHECK_FALSE(stalled_done);
  // Released, the renderer takes the loop back and finishes its handler.
  release = true;
  for (int i = 0; i < 200 && !stalled_done; ++i) std::this_thread::sleep_for(10ms);
  CHECK(stalled_done);
  // A handler that hands the loop over and back quickly starts no thread.
  std::atomic<int> quick{0};
  for (int i = 0; i < 100; ++i) net::post(io, [&] { threads->Unlocked([&] { ++quick; }); });
  for (int i = 0; i < 200 && quick < 100; ++i) std::this_thread::sleep_for(10ms);
  CHECK(quick == 100);
  CHECK(threads->Started() == 2);
  work.reset();
  threads.reset();  // joins: the loop has no work left
}

TEST_CASE("connection stats: one series per reason, open and accepted", "[web][connections]") {
  ConnectionStats stats;
  stats.accepted = 7;
  stats.open = 2;
  stats.Count(CloseReason::kEvicted);
  stats.Count(CloseReason::kEvicted);
  stats.Count(CloseReason::kHeaderTimeout);
  const auto families = ConnectionFamilies(stats);
  REQUIRE(families.size() == 3);
  CHECK(families[0].name == "silicon_http_connections");
  CHECK(families[0].metric.at(0).gauge.value == 2);
  CHECK(families[1].name == "silicon_http_connections_accepted_total");
  CHECK(families[1].metric.at(0).counter.value == 7);
  const auto& closed = families[2];
  CHECK(closed.name == "silicon_http_connections_closed_total");
  REQUIRE(closed.metric.size() == kCloseReasons);  // every reason, zeros included: rate() needs them
  std::map<std::string, double> by_reason;
  for (const auto& metric : closed.metric) by_reason[metric.label.at(0).value] = metric.counter.value;
  CHECK(by_reason.size() == kCloseReasons);  // names are distinct
  CHECK(by_reason["evicted"] == 2);
  CHECK(by_reason["header_timeout"] == 1);
  CHECK(by_reason["client"] == 0);
}
