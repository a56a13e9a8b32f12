#pragma once

#include <string>

namespace silicon {

/// Sends spdlog's default logger to stderr as logfmt or JSON lines at the given level; lines
/// written with core/log.h carry their fields as keys of their own (exporter/log_line.h).
void SetupLogging(const std::string& level, const std::string& format);

}  // namespace silicon
