#pragma once

#include <string>

namespace silicon {

/// Sends spdlog's default logger to stderr as logfmt or JSON lines at the given level.
void SetupLogging(const std::string& level, const std::string& format);

/// Escapes text for a double-quoted logfmt or JSON string.
std::string EscapeLogText(std::string_view text);

}  // namespace silicon
