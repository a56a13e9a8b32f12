#include "exporter/http/connection_table.h"

namespace silicon {

std::list<ConnectionTable::Waiting>* ConnectionTable::ListOf(ConnectionPhase phase) {
  switch (phase) {
    case ConnectionPhase::kAwaitingFirstRequest: return &awaiting_;
    case ConnectionPhase::kIdle: return &idle_;
    case ConnectionPhase::kWriting: return &writing_;
    case ConnectionPhase::kPipelining: return &pipelining_;
    case ConnectionPhase::kBusy: return nullptr;
  }
  return nullptr;
}

std::optional<std::uint64_t> ConnectionTable::Victim(Clock::time_point now) const {
  if (!idle_.empty()) return idle_.front().id;
  if (!awaiting_.empty() && now - awaiting_.front().since >= limits_.grace) return awaiting_.front().id;
  if (!pipelining_.empty()) return pipelining_.front().id;
  if (!writing_.empty() && now - writing_.front().since >= limits_.stalled_after) return writing_.front().id;
  // Last, the newcomer that has waited longest: refusing newcomers instead would hand every place
  // to whoever reconnects fastest once the grace passes (2000 reconnecting idle clients).
  if (!awaiting_.empty()) return awaiting_.front().id;
  return std::nullopt;
}

ConnectionTable::Admission ConnectionTable::Admit(std::uint64_t id, Clock::time_point now) {
  Admission admission;
  if (entries_.size() >= limits_.capacity) {
    admission.evict = Victim(now);
    if (!admission.evict) return admission;
    Remove(*admission.evict);
  }
  admission.admitted = true;
  awaiting_.push_back({id, now});
  entries_[id] = Entry{ConnectionPhase::kAwaitingFirstRequest, std::prev(awaiting_.end())};
  return admission;
}

void ConnectionTable::Set(std::uint64_t id, ConnectionPhase phase, Clock::time_point now) {
  const auto found = entries_.find(id);
  if (found == entries_.end()) return;
  Entry& entry = found->second;
  if (auto* list = ListOf(entry.phase)) list->erase(entry.position);
  entry.phase = phase;
  if (auto* list = ListOf(phase)) {
    list->push_back({id, now});
    entry.position = std::prev(list->end());
  }
}

bool ConnectionTable::Busy(std::uint64_t id) const {
  const auto found = entries_.find(id);
  if (found == entries_.end()) return false;
  const ConnectionPhase phase = found->second.phase;
  return phase == ConnectionPhase::kBusy || phase == ConnectionPhase::kWriting || phase == ConnectionPhase::kPipelining;
}

void ConnectionTable::Remove(std::uint64_t id) {
  const auto found = entries_.find(id);
  if (found == entries_.end()) return;
  if (auto* list = ListOf(found->second.phase)) list->erase(found->second.position);
  entries_.erase(found);
}

}  // namespace silicon
