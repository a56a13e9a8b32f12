#pragma once

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
  kBusy,                  // a complete request is being answered, or its answer written
};

/// Which connections the server holds, so that it holds at most `capacity` and never turns a new
/// client away for ones that only sit there: when full, the oldest connection that never sent a
/// request is closed, then the longest-idle kept-alive one; one in the middle of a request never.
/// Idle or slow clients therefore cost descriptors up to the cap and then each other's places,
/// not the scraper's. Not thread-safe: the server's event loop owns it.
class ConnectionTable {
 public:
  explicit ConnectionTable(std::size_t capacity) : capacity_(capacity) {}

  struct Admission {
    bool admitted = false;               // false: every place is busy, close the newcomer
    std::optional<std::uint64_t> evict;  // the connection to close to make room
  };

  /// Takes in a new connection (as kAwaitingFirstRequest), making room if the table is full.
  Admission Admit(std::uint64_t id);
  /// Moves a connection to a phase; a waiting phase counts its age from now.
  void Set(std::uint64_t id, ConnectionPhase phase);
  /// Forgets a connection (closed); unknown ids are ignored.
  void Remove(std::uint64_t id);
  /// Whether a connection is answering a request (and must not be closed under it).
  bool Busy(std::uint64_t id) const;
  std::size_t Size() const { return entries_.size(); }

 private:
  struct Entry {
    ConnectionPhase phase;
    std::list<std::uint64_t>::iterator position;  // in the list of its phase; unused when busy
  };
  std::list<std::uint64_t>* ListOf(ConnectionPhase phase);

  std::size_t capacity_;
  std::unordered_map<std::uint64_t, Entry> entries_;
  std::list<std::uint64_t> awaiting_;  // oldest first
  std::list<std::uint64_t> idle_;      // longest idle first
};

}  // namespace silicon
