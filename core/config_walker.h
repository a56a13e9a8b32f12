#pragma once

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

#include <yaml-cpp/yaml.h>

namespace silicon {

/// A config file that cannot be used; the message names the file, line, column and key.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// What to do with the value of one key: the value's node and its dotted path ("collectors.docker.host").
using ConfigHandler = std::function<void(const YAML::Node& value, const std::string& key)>;

/// The keys a mapping may hold, each with its handler.
using ConfigHandlers = std::map<std::string, ConfigHandler>;

/// A check of one value: what is wrong with it, or nullopt when it is fine. Config file and flags
/// share checks so both refuse the same things with the same words.
using StringCheck = std::optional<std::string> (*)(const std::string&);
using NumberCheck = std::optional<std::string> (*)(double);
using IntegerCheck = std::optional<std::string> (*)(long long);

/// Walks a YAML tree with the dotted key path at hand, so every error names where it is
/// ("config.yml:7:5: key 'collectors.thermal.fair_celsius': must be a number").
class ConfigWalker {
 public:
  explicit ConfigWalker(std::string source) : source_(std::move(source)) {}

  /// Throws ConfigError naming the file, the node's line and column, and the key.
  [[noreturn]] void Fail(const YAML::Node& node, const std::string& key, const std::string& what) const;

  /// Calls handlers[key] for each entry of a mapping; any other key is refused. A null node
  /// ("web:" with nothing under it) means "all defaults".
  void Mapping(const YAML::Node& node, const std::string& path, const ConfigHandlers& handlers) const;

  std::string String(const YAML::Node& node, const std::string& key, StringCheck check) const;
  long long Integer(const YAML::Node& node, const std::string& key) const;
  double Number(const YAML::Node& node, const std::string& key, NumberCheck check) const;
  bool Boolean(const YAML::Node& node, const std::string& key) const;

  /// A handler that stores a checked number in field (which must outlive the walk).
  ConfigHandler NumberInto(double& field, NumberCheck check) const;
  ConfigHandler NumberInto(std::optional<double>& field, NumberCheck check) const;
  /// A handler that stores a checked whole number in field; the check bounds it to what an int holds.
  ConfigHandler IntegerInto(int& field, IntegerCheck check) const;
  /// A handler that stores a checked string in field.
  ConfigHandler StringInto(std::string& field, StringCheck check) const;
  ConfigHandler StringInto(std::optional<std::string>& field, StringCheck check) const;

 private:
  std::string source_;
};

/// Checks shared by several keys: above 0 and at most 100 (percent).
std::optional<std::string> CheckPercent(double value);

/// Above 0 and at most 60 (seconds): timeouts and intervals.
std::optional<std::string> CheckTimeout(double value);

}  // namespace silicon
