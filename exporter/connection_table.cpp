#include "exporter/connection_table.h"

namespace silicon {

std::list<std::uint64_t>* ConnectionTable::ListOf(ConnectionPhase phase) {
  switch (phase) {
    case ConnectionPhase::kAwaitingFirstRequest: return &awaiting_;
    case ConnectionPhase::kIdle: return &idle_;
    case ConnectionPhase::kBusy: return nullptr;
  }
  return nullptr;
}

ConnectionTable::Admission ConnectionTable::Admit(std::uint64_t id) {
  Admission admission;
  if (entries_.size() >= capacity_) {
    std::list<std::uint64_t>* victims = !awaiting_.empty() ? &awaiting_ : !idle_.empty() ? &idle_ : nullptr;
    if (victims == nullptr) return admission;
    admission.evict = victims->front();
    Remove(victims->front());
  }
  admission.admitted = true;
  awaiting_.push_back(id);
  entries_[id] = Entry{ConnectionPhase::kAwaitingFirstRequest, std::prev(awaiting_.end())};
  return admission;
}

void ConnectionTable::Set(std::uint64_t id, ConnectionPhase phase) {
  const auto found = entries_.find(id);
  if (found == entries_.end()) return;
  Entry& entry = found->second;
  if (auto* list = ListOf(entry.phase)) list->erase(entry.position);
  entry.phase = phase;
  if (auto* list = ListOf(phase)) {
    list->push_back(id);
    entry.position = std::prev(list->end());
  }
}

bool ConnectionTable::Busy(std::uint64_t id) const {
  const auto found = entries_.find(id);
  return found != entries_.end() && found->second.phase == ConnectionPhase::kBusy;
}

void ConnectionTable::Remove(std::uint64_t id) {
  const auto found = entries_.find(id);
  if (found == entries_.end()) return;
  if (auto* list = ListOf(found->second.phase)) list->erase(found->second.position);
  entries_.erase(found);
}

}  // namespace silicon
