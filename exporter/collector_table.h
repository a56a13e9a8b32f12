#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "core/collector.h"
#include "core/collector_config.h"

namespace silicon {

struct Settings;

/// One built-in collector: its name (for --collector.NAME and collectors.NAME in the config file),
/// its default, and its config with default options, which parses its keys and builds it.
struct CollectorEntry {
  std::string_view name;
  bool enabled_by_default;
  std::string_view description;
  std::unique_ptr<CollectorConfig> (*default_config)();
};

/// The explicit list of built-in collectors, in exposition order.
std::span<const CollectorEntry> BuiltinCollectors();

/// The entry called name, or nullptr.
const CollectorEntry* FindCollector(std::string_view name);

/// Whether the settings turn this collector on (explicit choice, else its default).
bool IsEnabled(const CollectorEntry& entry, const Settings& settings);

/// The collector built with the options the settings hold for it (its defaults where none).
std::unique_ptr<Collector> CreateCollector(const CollectorEntry& entry, const Settings& settings);

}  // namespace silicon
