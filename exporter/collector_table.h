#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/collector.h"

namespace silicon {

struct Settings;

/// One built-in collector: its name (for --collector.NAME), default and factory.
struct CollectorEntry {
  std::string_view name;
  bool enabled_by_default;
  std::string_view description;
  std::unique_ptr<Collector> (*create)(const Settings& settings);
};

/// The explicit list of built-in collectors, in exposition order.
std::span<const CollectorEntry> BuiltinCollectors();

/// The entry called name, or nullptr.
const CollectorEntry* FindCollector(std::string_view name);

/// Whether the settings turn this collector on (explicit choice, else its default).
bool IsEnabled(const CollectorEntry& entry, const Settings& settings);

}  // namespace silicon
