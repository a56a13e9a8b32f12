#pragma once

#include <string>

#include "core/config_walker.h"
#include "exporter/settings.h"

namespace silicon {

/// Reads a YAML config file over settings; unknown keys, wrong types and bad values throw ConfigError.
void LoadConfigFile(const std::string& path, Settings& settings);

/// The same, from YAML text (the file name is only used in messages).
void LoadConfigText(const std::string& text, const std::string& source_name, Settings& settings);

}  // namespace silicon
