#pragma once

#include "core/log.h"

#include <string>
#include <string_view>

namespace silicon {

/// How a log line is written: logfmt (`key=value key="with spaces"`) or one JSON object.
enum class LogFormat { kLogfmt, kJson };

/// One log line with its newline: ts, level, msg, then each field as a key of its own.
/// `level` is debug, info, warn or error, the words --log.level takes.
std::string FormatLogLine(LogFormat format, std::string_view ts, std::string_view level, const log::Record& record);

/// Escapes text for a double-quoted logfmt or JSON string.
std::string EscapeLogText(std::string_view text);

}  // namespace silicon
