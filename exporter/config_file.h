#pragma once

#include <stdexcept>
#include <string>

#include "exporter/settings.h"

namespace silicon {

/// A config file that cannot be used; the message names the file, line, column and key.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads a YAML config file over settings; unknown keys, wrong types and bad values throw ConfigError.
void LoadConfigFile(const std::string& path, Settings& settings);

/// The same, from YAML text (the file name is only used in messages).
void LoadConfigText(const std::string& text, const std::string& source_name, Settings& settings);

}  // namespace silicon
