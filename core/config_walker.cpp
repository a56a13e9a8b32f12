#include "core/config_walker.h"

#include <sstream>

namespace silicon {

void ConfigWalker::Fail(const YAML::Node& node, const std::string& key, const std::string& what) const {
  std::ostringstream message;
  message << source_;
  // yaml-cpp's marks are 0-based; people count lines from 1.
  if (node.Mark().line >= 0) message << ":" << node.Mark().line + 1 << ":" << node.Mark().column + 1;
  message << ": key '" << key << "': " << what;
  throw ConfigError(message.str());
}

void ConfigWalker::Mapping(const YAML::Node& node, const std::string& path, const ConfigHandlers& handlers) const {
  if (node.IsNull()) return;
  if (!node.IsMap()) Fail(node, path, "must be a mapping");
  for (const auto& entry : node) {
    const auto key = entry.first.Scalar();
    const auto full = path.empty() ? key : path + "." + key;
    const auto handler = handlers.find(key);
    if (handler == handlers.end()) {
      std::string known;
      for (const auto& [name, unused] : handlers) known += (known.empty() ? "" : ", ") + name;
      Fail(entry.first, full, "unknown key (expected one of: " + known + ")");
    }
    handler->second(entry.second, full);
  }
}

std::string ConfigWalker::String(const YAML::Node& node, const std::string& key, StringCheck check) const {
  if (!node.IsScalar()) Fail(node, key, "must be a string");
  const auto value = node.Scalar();
  if (const auto problem = check(value)) {
    // A long value (a 60 KB pattern) is named by its start: the line and column point at it.
    constexpr std::size_t kQuoted = 80;
    const std::string shown = value.size() <= kQuoted
                                  ? value
                                  : value.substr(0, kQuoted) + "...' (" + std::to_string(value.size()) + " bytes";
    Fail(node, key, "'" + shown + (value.size() <= kQuoted ? "' " : ") ") + *problem);
  }
  return value;
}

long long ConfigWalker::Integer(const YAML::Node& node, const std::string& key) const {
  long long value = 0;
  if (!node.IsScalar() || !YAML::convert<long long>::decode(node, value)) Fail(node, key, "must be a whole number");
  return value;
}

double ConfigWalker::Number(const YAML::Node& node, const std::string& key, NumberCheck check) const {
  double value = 0;
  if (!node.IsScalar() || !YAML::convert<double>::decode(node, value)) Fail(node, key, "must be a number");
  if (const auto problem = check(value)) Fail(node, key, *problem);
  return value;
}

bool ConfigWalker::Boolean(const YAML::Node& node, const std::string& key) const {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) Fail(node, key, "must be true or false");
  return value;
}

ConfigHandler ConfigWalker::NumberInto(double& field, NumberCheck check) const {
  return [this, &field, check](const YAML::Node& n, const std::string& k) { field = Number(n, k, check); };
}

ConfigHandler ConfigWalker::NumberInto(std::optional<double>& field, NumberCheck check) const {
  return [this, &field, check](const YAML::Node& n, const std::string& k) { field = Number(n, k, check); };
}

ConfigHandler ConfigWalker::IntegerInto(int& field, IntegerCheck check) const {
  return [this, &field, check](const YAML::Node& n, const std::string& k) {
    const auto value = Integer(n, k);
    if (const auto problem = check(value)) Fail(n, k, *problem);
    field = static_cast<int>(value);
  };
}

ConfigHandler ConfigWalker::StringInto(std::string& field, StringCheck check) const {
  return [this, &field, check](const YAML::Node& n, const std::string& k) { field = String(n, k, check); };
}

ConfigHandler ConfigWalker::StringInto(std::optional<std::string>& field, StringCheck check) const {
  return [this, &field, check](const YAML::Node& n, const std::string& k) { field = String(n, k, check); };
}

std::optional<std::string> CheckPercent(double value) {
  if (!(value > 0 && value <= 100)) return "must be a percentage above 0 and at most 100";
  return std::nullopt;
}

std::optional<std::string> CheckTimeout(double value) {
  if (!(value > 0 && value <= 60)) return "must be above 0 and at most 60 (seconds)";
  return std::nullopt;
}

}  // namespace silicon
