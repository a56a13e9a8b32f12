#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <unordered_map>

namespace silicon {

/// Where a connection is in its life, as far as closing it early is concerned.
enum class ConnectionPhase {
  kAwaitingFirstRequest,  // accepted: handshaking, or its first request not read to the end yet
  kIdle,                  // served at least once; its next request not read to the end yet
  kBusy,                  // a complete request is with a worker
  kWriting,               // its answer is being written
  kPipelining,            // answering a request sent before the last answer was written
};

/// Which connections the server holds, so that it holds at most `capacity` and never turns a new
/// client away for ones that only sit there. When full, it closes, in this order: the longest-idle
/// kept-alive connection; the oldest that has not sent a whole request within the grace period
/// (a slow or silent client); one answering pipelined requests (Prometheus, vmagent and browsers
/// never pipeline); the one longest stuck writing an answer nobody reads; only then the newcomer
/// longest within its grace. A connection whose (unpipelined) request is with a worker is never
/// closed; when only those are left, the newcomer is refused. So a scraper's new connection keeps
/// its place while it sends its request, however many holders reconnect, and clients that
/// pipeline without reading cannot keep places by keeping answers unwritten. Not thread-safe: the
/// server's event loop owns it.
class ConnectionTable {
 public:
  using Clock = std::chrono::steady_clock;

  struct Limits {
    std::size_t capacity = 512;
    /// How long a new connection may take to send its first request before others go first.
    std::chrono::milliseconds grace{1000};
    /// How long an answer may take to be written before its connection counts as stalled.
    std::chrono::milliseconds stalled_after{1000};
  };

  explicit ConnectionTable(Limits limits) : limits_(limits) {}
  explicit ConnectionTable(std::size_t capacity) : limits_{capacity} {}

  struct Admission {
    bool admitted = false;               // false: no place may be taken, close the newcomer
    std::optional<std::uint64_t> evict;  // the connection to close to make room
  };

  /// Takes in a new connection (as kAwaitingFirstRequest), making room if the table is full.
  Admission Admit(std::uint64_t id, Clock::time_point now = Clock::now());
  /// The connection to close when one place is needed (descriptors ran out), if any may go.
  std::optional<std::uint64_t> Victim(Clock::time_point now = Clock::now()) const;
  /// Moves a connection to a phase; its time in that phase counts from now.
  void Set(std::uint64_t id, ConnectionPhase phase, Clock::time_point now = Clock::now());
  /// Forgets a connection (closed); unknown ids are ignored.
  void Remove(std::uint64_t id);
  /// Whether a connection is answering a request, or writing its answer (stop lets it finish).
  bool Busy(std::uint64_t id) const;
  std::size_t Size() const { return entries_.size(); }
  std::size_t Capacity() const { return limits_.capacity; }

 private:
  struct Waiting {
    std::uint64_t id;
    Clock::time_point since;
  };
  struct Entry {
    ConnectionPhase phase;
    std::list<Waiting>::iterator position;  // in the list of its phase; unused when kBusy
  };
  std::list<Waiting>* ListOf(ConnectionPhase phase);

  Limits limits_;
  std::unordered_map<std::uint64_t, Entry> entries_;
  // Each oldest first (entries join at the back with the current time).
  std::list<Waiting> awaiting_;
  std::list<Waiting> idle_;
  std::list<Waiting> writing_;
  std::list<Waiting> pipelining_;
};

}  // namespace silicon
