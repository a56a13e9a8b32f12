#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/collector.h"
#include "core/config_walker.h"
#include "core/host_paths.h"

namespace silicon {

/// A collector's own options and how to build the collector from them. Each collector folder
/// defines one; the application reaches it through the collector's row in the collector table,
/// so nothing above the collectors names an option of any of them.
class CollectorConfig {
 public:
  virtual ~CollectorConfig() = default;

  /// A copy to change, so a config file refused halfway leaves the running options as they were.
  virtual std::unique_ptr<CollectorConfig> Clone() const = 0;

  /// Adds a handler for each key the collector takes under collectors.NAME ("enabled" is the
  /// application's); the handlers store into this object. None by default.
  virtual void AddOptionHandlers(const ConfigWalker& /*walk*/, ConfigHandlers& /*handlers*/) {}

  /// Checks that span several keys, once the collector's mapping is read: the problem, or nullopt.
  virtual std::optional<std::string> CheckOptions() const { return std::nullopt; }

  /// A collector that reads the host through paths, with these options.
  virtual std::unique_ptr<Collector> Create(const HostPaths& paths) const = 0;
};

/// Gives a config class its Clone (Derived must be copyable).
template <typename Derived>
class CopyableCollectorConfig : public CollectorConfig {
 public:
  std::unique_ptr<CollectorConfig> Clone() const override {
    return std::make_unique<Derived>(static_cast<const Derived&>(*this));
  }
};

/// The config of a collector that takes no options: it is built from the host paths alone.
template <typename CollectorType>
class PathsOnlyConfig final : public CopyableCollectorConfig<PathsOnlyConfig<CollectorType>> {
 public:
  std::unique_ptr<Collector> Create(const HostPaths& paths) const override {
    return std::make_unique<CollectorType>(paths);
  }
};

}  // namespace silicon
