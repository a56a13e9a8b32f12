#include "exporter/http/http_server.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#if SILICON_HTTP_TLS
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#endif

#include <chrono>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "exporter/http/connection_table.h"
#include "exporter/http/descriptor_limit.h"
#include "exporter/http/log_limiter.h"
#include "exporter/http/http_server_core.h"
#if SILICON_HTTP_TLS
#include "exporter/http/tls_context.h"
#endif
#include "exporter/http/loop_threads.h"
#include "exporter/http/render_slots.h"

namespace silicon {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using PlainStream = beast::tcp_stream;
// TLS is compiled only into the TLS module (tls_module.h): without tls_server_config, OpenSSL's
// libraries are never loaded (1.7 MB resident, docs/benchmarks.md).
#if SILICON_HTTP_TLS
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
#else
struct NoTls {};
using TlsStream = NoTls;
#endif

// A request line and headers of 16 KiB at most (what civetweb allowed before), and a body
// of as much: no route takes one, but a client may send one and still deserves its 405.
constexpr std::uint32_t kMaxHeaderBytes = 16 * 1024;
constexpr std::uint64_t kMaxBodyBytes = 16 * 1024;
constexpr std::size_t kReadChunk = 4096;
// Requests answered back to back from bytes already received, without the client waiting for an
// answer in between: the 17th such answer closes the connection. Prometheus never pipelines; a
// client that sends hundreds and reads nothing would otherwise queue answers without end.
constexpr int kMaxPipelined = 16;
// After a refused request, how much of what the client still sends is read and dropped, and for
// how long in all (a lingering close, see Drain).
constexpr std::size_t kDrainBytes = 64 * 1024;
constexpr auto kDrainTime = std::chrono::seconds(1);

using Clock = std::chrono::steady_clock;

std::string Field(const http::request<http::string_body>& request, http::field name) {
  const auto value = request[name];
  return std::string(value.data(), value.size());
}

// Whether a Transfer-Encoding value's last coding is "chunked" (case-insensitive, RFC 9112 6.1).
bool EndsWithChunked(std::string_view codings) {
  const auto comma = codings.rfind(',');
  std::string_view last = comma == std::string_view::npos ? codings : codings.substr(comma + 1);
  while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
  while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
  return beast::iequals(last, "chunked");
}

// "HOST:PORT" as node_exporter takes it: an empty host is every IPv4 interface.
tcp::endpoint ResolveListenAddress(net::io_context& io, const std::string& listen_address) {
  const auto colon = listen_address.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("no port in " + listen_address);
  std::string host = listen_address.substr(0, colon);
  const std::string port = listen_address.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  tcp::resolver resolver(io);
  const auto found = resolver.resolve(host, port, tcp::resolver::passive | tcp::resolver::numeric_service);
  if (found.empty()) throw std::runtime_error("no address for " + host);
  return found.begin()->endpoint();
}

}  // namespace

/// One connection, whatever its stream: what the server needs to answer and close it.
class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void Close(CloseReason reason) = 0;
  virtual bool IsClosed() const = 0;
  /// Writes the answer to the request last read (its body left out for a HEAD).
  virtual void Answer(HttpResponse response, bool head) = 0;
};

struct HttpServer::Impl : HttpServer::Core {
  Impl(const HttpServerOptions& opts, HttpHandler answer)
      : options(opts),
        handler(std::move(answer)),
        stats(opts.stats ? opts.stats : std::make_shared<ConnectionStats>()),
        table(ConnectionTable::Limits{ConnectionsWithin(opts.max_connections, RaiseDescriptorLimit(),
                                                        opts.reserved_descriptors)}),
        slots(opts.workers, opts.stuck_after) {}

  void Accept();
  void Admit(tcp::socket socket);
  void Forget(std::uint64_t id);
  void CloseSession(std::uint64_t id, CloseReason reason);
  void Dispatch(const HttpRequest& request, const std::shared_ptr<SessionBase>& session, bool head);
  void Render(const HttpRequest& request, SessionBase& session, bool head);
  void Stop();

  /// Stops accepting, closes idle connections, lets requests in flight finish and be written.
  ~Impl() override {
    net::post(io, [this] { Stop(); });
    threads.reset();  // returns once the last response is written and its connection closed
  }
  int Port() const override { return port; }

  void Closed(CloseReason reason) {
    stats->open.fetch_sub(1);
    stats->Count(reason);
  }

  const HttpServerOptions options;
  const HttpHandler handler;
  const std::shared_ptr<ConnectionStats> stats;
  net::io_context io;  // run by LoopThreads, one thread at a time
  tcp::acceptor acceptor{io};
  net::steady_timer accept_pause{io};
#if SILICON_HTTP_TLS
  std::optional<net::ssl::context> tls;
#endif
  int port = 0;

  // Owned by the event loop thread.
  ConnectionTable table;
  std::unordered_map<std::uint64_t, std::weak_ptr<SessionBase>> sessions;
  std::uint64_t next_id = 1;
  bool stopping = false;

  LogLimiter messages{"http server", 20};  // handshake and accept failures, rate-limited
  RenderSlots slots;
  struct Waiting {
    HttpRequest request;
    std::shared_ptr<SessionBase> session;
    bool head;
    Clock::time_point since;
  };
  std::deque<Waiting> waiting;  // complete requests that wait for a slot, oldest first

  std::optional<LoopThreads> threads;  // after io: they end (and are joined) before it goes
};

namespace {

template <typename Stream>
class Connection : public SessionBase, public std::enable_shared_from_this<Connection<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  template <typename... StreamArgs>
  Connection(HttpServer::Impl& server, std::uint64_t id, std::string remote, StreamArgs&&... stream_args)
      : server_(server), id_(id), remote_(std::move(remote)), stream_(std::forward<StreamArgs>(stream_args)...) {}

  void Start() {
    Lowest().expires_after(server_.options.header_timeout);
#if SILICON_HTTP_TLS
    if constexpr (kTls) {
      stream_.async_handshake(net::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (self->closed_) return;
        if (ec == beast::error::timeout) {
          self->Close(CloseReason::kHeaderTimeout);
          return;
        }
        // A client that connects and hangs up having sent nothing of a handshake (a port check)
        // just left: no TLS failure to count or log.
        const bool hung_up = ec == net::error::eof || ec == net::ssl::error::stream_truncated;
        if (hung_up && !self->handshake_bytes_seen()) {
          self->Close(CloseReason::kClient);
          return;
        }
        if (ec) {
          self->LogFailure("TLS handshake failed", ec);
          self->Close(CloseReason::kTlsHandshake);
          return;
        }
        self->AwaitRequest(true);
      });
    } else {
      AwaitRequest(true);
    }
#else
    AwaitRequest(true);
#endif
  }

  bool IsClosed() const override { return closed_; }
  void Answer(HttpResponse response, bool head) override { Write(std::move(response), head); }

  void Close(CloseReason reason) override {
    if (closed_) return;
    closed_ = true;
    server_.Closed(reason);
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    Lowest().close();  // completes what is pending with operation_aborted
    server_.Forget(id_);
  }

 private:
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }

  // Whether the TLS engine read any byte from the client (a TLS connection only).
  bool handshake_bytes_seen() {
#if SILICON_HTTP_TLS
    if constexpr (kTls) return BIO_number_read(SSL_get_rbio(stream_.native_handle())) > 0;
#endif
    return true;
  }

  void LogFailure(const char* what, const beast::error_code& ec) {
    if (server_.stopping || !server_.messages.Allow()) return;
    spdlog::warn("http server: {} remote={} err=\"{}\"", what, remote_, ec.message());
  }

  // Waits for the first byte of a request: within the header deadline on a new connection (it
  // runs from accept), within the idle timeout on a kept-alive one.
  void AwaitRequest(bool first) {
    if (!first) server_.table.Set(id_, ConnectionPhase::kIdle);
    if (buffer_.size() > 0) {  // pipelined: the next request is here already
      ++pipelined_;
      ReadRequest(first);
      return;
    }
    // The client waits for us now: what it sends next starts a new run of answers.
    pipelined_ = 0;
    answers_due_.reset();
    if (!first) Lowest().expires_after(server_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(kReadChunk),
                            [self = this->shared_from_this(), first](beast::error_code ec, std::size_t n) {
                              if (self->closed_) return;
                              if (ec) {  // the client left, the deadline passed
                                self->Close(ec != beast::error::timeout ? CloseReason::kClient
                                            : first                     ? CloseReason::kHeaderTimeout
                                                                        : CloseReason::kIdleTimeout);
                                return;
                              }
                              self->buffer_.commit(n);
                              self->ReadRequest(first);
                            });
  }

  void ReadRequest(bool first) {
    if (!first) Lowest().expires_after(server_.options.header_timeout);
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(kMaxBodyBytes);
    http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      self->OnRequest(ec);
    });
  }

  void OnRequest(beast::error_code ec) {
    if (closed_) return;
    if (ec == http::error::header_limit || ec == http::error::body_limit) {
      Refuse(ec == http::error::header_limit ? 431 : 413, "request too large\n");
      return;
    }
    // Bytes that are no HTTP request get a 400; a client that left mid-request (end_of_stream,
    // partial_message), a deadline that passed or a reset get nothing: there is nobody to tell.
    const bool malformed = ec && ec.category() == http::make_error_code(http::error::bad_method).category() &&
                           ec != http::error::end_of_stream && ec != http::error::partial_message;
    if (malformed) {
      Refuse(400, "bad request\n");
      return;
    }
    if (ec) {
      Close(ec == beast::error::timeout ? CloseReason::kHeaderTimeout : CloseReason::kClient);
      return;
    }
    auto& message = parser_->get();
    // RFC 9112 6.3: a Transfer-Encoding whose last coding is not chunked leaves the body's end
    // unknown; and 3.2: an HTTP/1.1 request must name its Host. Both: 400, then close, so that
    // what follows is never read as a request of its own.
    if (const auto coding = message[http::field::transfer_encoding];
        !coding.empty() && !EndsWithChunked(coding)) {
      Refuse(400, "bad request: unsupported transfer-encoding\n");
      return;
    }
    if (message.version() >= 11 && message.find(http::field::host) == message.end()) {
      Refuse(400, "bad request: no Host header\n");
      return;
    }
    const auto method = message.method_string();
    const auto target = message.target();
    HttpRequest request{std::string(method.data(), method.size()), std::string(target.data(), target.size()),
                        Field(message, http::field::accept), Field(message, http::field::accept_encoding),
                        Field(message, http::field::authorization), remote_};
    keep_alive_ = message.keep_alive() && pipelined_ < kMaxPipelined;
    const bool head = message.method() == http::verb::head;
    parser_.reset();
    // Bytes beyond this request, sent before its answer: a client that pipelines (none of the
    // scrapers do) may lose its place to one that waits for its answers.
    pipelining_ = pipelined_ > 0 || buffer_.size() > 0;
    server_.table.Set(id_, pipelining_ ? ConnectionPhase::kPipelining : ConnectionPhase::kBusy);
    server_.Dispatch(request, this->shared_from_this(), head);
  }

  // A request we cannot parse: answered, then the connection is closed (what follows it on the
  // connection cannot be trusted to start a request).
  void Refuse(int status, std::string body) {
    keep_alive_ = false;
    pipelining_ = false;  // a refusal is written as kWriting: evictable once stalled
    Write(TextResponse(status, std::move(body)), false, true);
  }

  // After a refusal the client may still be sending what we did not read (the rest of a 32 KiB
  // header). Closing now would answer those bytes with a reset, and a reset can discard our
  // response before the client reads it: read and drop them for a second first, as lingering
  // closes in other servers do. A close from the client or the second passing ends it.
  // The second and the bytes are a total: a client that keeps sending cannot hold the connection
  // (or, sending fast, the event loop) for longer.
  void Drain() {
    // Evictable again: a client that sends garbage must not hold a place for that second.
    server_.table.Set(id_, ConnectionPhase::kAwaitingFirstRequest);
    beast::error_code ignored;
    Lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    Lowest().expires_after(kDrainTime);
    DrainSome(0);
  }

  void DrainSome(std::size_t drained) {
    buffer_.clear();
    Lowest().async_read_some(buffer_.prepare(kReadChunk), [self = this->shared_from_this(), drained](
                                                              beast::error_code ec, std::size_t n) {
      if (self->closed_) return;
      if (ec || drained + n > kDrainBytes) {
        self->Close(CloseReason::kBadRequest);
        return;
      }
      self->DrainSome(drained + n);
    });
  }

  void Write(HttpResponse response, bool head, bool drain = false) {
    if (closed_) return;
    keep_alive_ = keep_alive_ && !server_.stopping;
    // The status line and headers, then the body as the handler made it: one gathered send, no
    // copy of a scrape's body. Not a std::array of two: Asio answers that type with a write loop
    // of its own that, once the head is sent, passes an empty first buffer, for which Beast
    // 1.74's ssl_stream (its flat_stream) writes 0 bytes when the body exceeds one TLS record
    // (16 KiB), and Asio takes 0 bytes as the end: over TLS, bodies > 16 KiB were never sent.
    // Asio's general loop skips buffers already sent (tests/e2e/http_sizes_test.py).
    response_ = std::move(response);
    head_ = SerializeHead(response_, keep_alive_);
    std::vector<net::const_buffer> buffers{net::buffer(head_)};
    if (response_.body && !head && !response_.body->empty()) buffers.push_back(net::buffer(*response_.body));
    // One deadline for a run of pipelined answers, not one each: a client that sends many requests
    // and reads nothing is closed write_timeout after its run began.
    if (!answers_due_) answers_due_ = Clock::now() + server_.options.write_timeout;
    Lowest().expires_at(*answers_due_);
    if (!pipelining_) server_.table.Set(id_, ConnectionPhase::kWriting);
    net::async_write(stream_, buffers, [self = this->shared_from_this(), drain](beast::error_code ec, std::size_t) {
      if (self->closed_) return;
      if (!ec && drain) {
        self->Drain();
        return;
      }
      if (ec) {
        self->Close(ec == beast::error::timeout ? CloseReason::kWriteTimeout : CloseReason::kClient);
        return;
      }
      if (!self->keep_alive_) {
        self->Close(self->server_.stopping ? CloseReason::kShutdown : CloseReason::kDone);
        return;
      }
      self->response_ = HttpResponse{};  // an idle connection keeps no copy of the last scrape
      std::string().swap(self->head_);
      self->AwaitRequest(false);
    });
  }

  HttpServer::Impl& server_;
  const std::uint64_t id_;
  const std::string remote_;
  Stream stream_;
  beast::flat_buffer buffer_{kMaxHeaderBytes + kMaxBodyBytes + kReadChunk};
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpResponse response_;  // being written
  std::string head_;
  bool keep_alive_ = false;
  bool closed_ = false;
  int pipelined_ = 0;                        // answers in this run that the client did not wait for
  bool pipelining_ = false;                  // the request being answered had others behind it
  std::optional<Clock::time_point> answers_due_;  // when this run's answers must be written
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (stopping) return;
    if (ec) {
      // Out of descriptors: one held connection makes room (by the table's order) and the
      // waiting client is taken at once, so that a scraper does not sit in the listen backlog
      // behind idle holders. Nothing to close, or another error: say so, pause, go on.
      if (ec == net::error::no_descriptors || ec == net::error::no_buffer_space) {
        if (const auto victim = table.Victim()) {
          CloseSession(*victim, CloseReason::kEvicted);
          Accept();
          return;
        }
      }
      if (messages.Allow()) spdlog::warn("http server: accept failed err=\"{}\"", ec.message());
      accept_pause.expires_after(std::chrono::milliseconds(100));
      accept_pause.async_wait([this](beast::error_code wait_error) {
        if (!wait_error && !stopping) Accept();
      });
      return;
    }
    Admit(std::move(socket));
    Accept();
  });
}

void HttpServer::Impl::Admit(tcp::socket socket) {
  const std::uint64_t id = next_id++;
  const auto admission = table.Admit(id);
  if (admission.evict) CloseSession(*admission.evict, CloseReason::kEvicted);
  beast::error_code ec;
  if (!admission.admitted) {  // every place is taken by a request in progress
    socket.close(ec);
    stats->Count(CloseReason::kNoRoom);
    return;
  }
  stats->accepted.fetch_add(1);
  stats->open.fetch_add(1);
  socket.set_option(tcp::no_delay(true), ec);  // a response goes out at once, no Nagle wait (Write)
  const auto peer = socket.remote_endpoint(ec);
  // "host:port", with an IPv6 host in brackets, so that the port is what follows the last ':'.
  std::string remote;
  if (!ec) {
    const std::string host = peer.address().to_string();
    remote = (peer.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(peer.port());
  }
  std::shared_ptr<SessionBase> session;
#if SILICON_HTTP_TLS
  if (tls) {
    auto connection = std::make_shared<Connection<TlsStream>>(*this, id, std::move(remote), std::move(socket), *tls);
    session = connection;
    sessions[id] = session;
    connection->Start();
    return;
  }
#endif
  auto connection = std::make_shared<Connection<PlainStream>>(*this, id, std::move(remote), std::move(socket));
  session = connection;
  sessions[id] = session;
  connection->Start();
}

void HttpServer::Impl::CloseSession(std::uint64_t id, CloseReason reason) {
  const auto found = sessions.find(id);
  if (found == sessions.end()) {
    table.Remove(id);
    return;
  }
  if (auto session = found->second.lock()) session->Close(reason);  // Close forgets it
  sessions.erase(id);
  table.Remove(id);
}

void HttpServer::Impl::Forget(std::uint64_t id) {
  table.Remove(id);
  sessions.erase(id);
}

void HttpServer::Impl::Dispatch(const HttpRequest& request, const std::shared_ptr<SessionBase>& session,
                                bool head) {
  switch (slots.Arrive(!waiting.empty())) {
    case RenderSlots::Turn::kRefuse:
      session->Answer(TextResponse(503, "too many concurrent scrapes\n"), head);
      return;
    case RenderSlots::Turn::kWait:
      waiting.push_back({request, session, head, Clock::now()});
      return;
    case RenderSlots::Turn::kNow:
      break;
  }
  Render(request, *session, head);
  // The requests that queued meanwhile, in their order, while this thread is free. One whose
  // connection was closed (evicted, say) is not rendered: nobody would read it.
  while (!waiting.empty() && slots.Free()) {
    Waiting next = std::move(waiting.front());
    waiting.pop_front();
    if (next.session->IsClosed()) continue;
    if (Clock::now() - next.since > options.queue_timeout) {
      next.session->Answer(TextResponse(503, "too many concurrent scrapes\n"), next.head);
      continue;
    }
    Render(next.request, *next.session, next.head);
  }
}

void HttpServer::Impl::Render(const HttpRequest& request, SessionBase& session, bool head) {
  const std::size_t slot = slots.Begin();
  HttpResponse response;
  {
    // The connection has nothing pending while its answer is made: without this guard a stop
    // meanwhile would let the loop run out of work, and the answer would never be written.
    const auto work = net::make_work_guard(io);
    threads->Unlocked([&] {
      try {
        response = handler(request);
      } catch (const std::exception& error) {
        spdlog::error("cannot answer {} {}: {}", request.method, request.target, error.what());
        response = TextResponse(500, "internal error\n");
      }
    });
  }
  slots.End(slot);
  session.Answer(std::move(response), head);
}

void HttpServer::Impl::Stop() {
  stopping = true;
  beast::error_code ignored;
  acceptor.close(ignored);
  accept_pause.cancel();
  // Connections between requests go now; those with a request in progress when it is written.
  std::vector<std::shared_ptr<SessionBase>> between;
  for (const auto& [id, weak] : sessions) {
    if (table.Busy(id)) continue;
    if (auto session = weak.lock()) between.push_back(session);
  }
  for (const auto& session : between) session->Close(CloseReason::kShutdown);
  // Requests still waiting for a slot get their 503 now rather than a render after the stop.
  std::deque<Waiting> refused;
  refused.swap(waiting);
  for (auto& request : refused) {
    if (!request.session->IsClosed()) request.session->Answer(TextResponse(503, "shutting down\n"), request.head);
  }
}

std::unique_ptr<HttpServer::Core> StartServerCore(const HttpServerOptions& options, HttpHandler handler) {
  auto core = std::make_unique<HttpServer::Impl>(options, std::move(handler));
  HttpServer::Impl& impl = *core;
#if SILICON_HTTP_TLS
  if (options.tls) {
    impl.tls.emplace(net::ssl::context::tls_server);
    const std::string error = ConfigureTlsContext(impl.tls->native_handle(), *options.tls);
    if (!error.empty()) throw TlsSetupError("tls_server_config: " + error);
  }
#else
  if (options.tls) throw std::logic_error("TLS is served by the TLS module (tls_module.h)");
#endif
  try {
    const tcp::endpoint endpoint = ResolveListenAddress(impl.io, options.listen_address);
    impl.acceptor.open(endpoint.protocol());
    impl.acceptor.set_option(net::socket_base::reuse_address(true));
    impl.acceptor.bind(endpoint);
    impl.acceptor.listen(net::socket_base::max_listen_connections);
    impl.port = impl.acceptor.local_endpoint().port();
  } catch (const std::exception& error) {
    throw std::runtime_error("cannot listen on " + options.listen_address + ": " + error.what());
  }
  if (impl.table.Capacity() < options.max_connections) {
    spdlog::warn("http server: max_connections {} lowered to {}: the descriptor limit (ulimit -n) leaves no room "
                 "for more beside {} kept for collectors",
                 options.max_connections, impl.table.Capacity(), options.reserved_descriptors);
  }
  impl.Accept();
  // One more thread than renders at once: there is always one left to run the loop.
  impl.threads.emplace([&impl] { return impl.io.run_one() > 0; }, [&impl] { net::post(impl.io, [] {}); },
                       options.workers + 1, options.stall_after);
  return core;
}


}  // namespace silicon
