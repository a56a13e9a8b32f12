#include "exporter/logging.h"

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

namespace silicon {
namespace {

/// One line per message in the shape node_exporter users grep for: ts, level, msg.
class LineFormatter : public spdlog::formatter {
 public:
  explicit LineFormatter(bool json) : json_(json) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
    const std::time_t t = seconds.count();
    std::tm utc{};
    gmtime_r(&t, &utc);
    char ts[40];
    const auto n = std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(ts + n, sizeof ts - n, ".%03dZ", static_cast<int>(millis.count()));

    const auto level = spdlog::level::to_string_view(msg.level);
    const auto text = EscapeLogText(std::string_view(msg.payload.data(), msg.payload.size()));
    std::string line;
    if (json_) {
      line = std::string("{\"ts\":\"") + ts + "\",\"level\":\"" + std::string(level.data(), level.size()) +
             "\",\"msg\":\"" + text + "\"}\n";
    } else {
      line = std::string("ts=") + ts + " level=" + std::string(level.data(), level.size()) + " msg=\"" + text +
             "\"\n";
    }
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<LineFormatter>(json_); }

 private:
  bool json_;
};

}  // namespace

std::string EscapeLogText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\u%04x", c);
          out += hex;
        } else {
          out += c;
        }
    }
  }
  return out;
}

void SetupLogging(const std::string& level, const std::string& format) {
  auto logger = std::make_shared<spdlog::logger>("silicon", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_formatter(std::make_unique<LineFormatter>(format == "json"));
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::debug);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace silicon
