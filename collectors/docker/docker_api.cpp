#include "collectors/docker/docker_api.h"

#include <nlohmann/json.hpp>

#include <ctime>

#include "core/text_file.h"

namespace silicon {
namespace {

using json = nlohmann::json;

json Parse(std::string_view text) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) throw DockerApiError("Docker API answered malformed JSON");
  return document;
}

std::string StringAt(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<double> NumberAt(const json& object, std::initializer_list<const char*> path) {
  const json* node = &object;
  for (const char* key : path) {
    if (!node->is_object()) return std::nullopt;
    const auto it = node->find(key);
    if (it == node->end()) return std::nullopt;
    node = &*it;
  }
  if (!node->is_number()) return std::nullopt;
  const double value = node->get<double>();
  return value >= 0 ? std::optional<double>(value) : std::nullopt;
}

}  // namespace

std::vector<ContainerInfo> ParseContainerList(std::string_view text) {
  // The list carries ~1 KiB per container, mostly NetworkSettings, Mounts and Ports we never read;
  // dropping those keys while parsing saves building them (a third of the parse for 100 containers).
  const json::parser_callback_t keep_wanted = [](int depth, json::parse_event_t event, json& parsed) {
    if (event != json::parse_event_t::key || depth != 2) return true;
    const auto& key = parsed.get_ref<const std::string&>();
    return key == "Id" || key == "Names" || key == "Image" || key == "State" || key == "Status" || key == "Labels";
  };
  json document = json::parse(text, keep_wanted, /*allow_exceptions=*/false);
  if (document.is_discarded()) throw DockerApiError("Docker API answered malformed JSON");
  if (!document.is_array()) throw DockerApiError("Docker API container list is not an array");
  std::vector<ContainerInfo> containers;
  for (const auto& entry : document) {
    if (!entry.is_object()) continue;
    ContainerInfo info;
    info.id = StringAt(entry, "Id");
    if (info.id.empty()) continue;
    if (const auto names = entry.find("Names"); names != entry.end() && names->is_array() && !names->empty() &&
                                                (*names)[0].is_string()) {
      info.name = (*names)[0].get<std::string>();
      if (!info.name.empty() && info.name.front() == '/') info.name.erase(0, 1);
    }
    info.image = StringAt(entry, "Image");
    info.state = StringAt(entry, "State");
    info.health = HealthFromStatus(StringAt(entry, "Status"));
    if (const auto labels = entry.find("Labels"); labels != entry.end() && labels->is_object()) {
      info.compose_project = StringAt(*labels, "com.docker.compose.project");
      info.compose_service = StringAt(*labels, "com.docker.compose.service");
    }
    containers.push_back(std::move(info));
  }
  return containers;
}

std::optional<double> ParseStartedAt(std::string_view inspect_json) {
  const auto document = Parse(inspect_json);
  if (!document.is_object()) return std::nullopt;
  const auto state = document.find("State");
  if (state == document.end() || !state->is_object()) return std::nullopt;
  const auto started = ParseRfc3339(StringAt(*state, "StartedAt"));
  // A container that never ran says "0001-01-01T00:00:00Z".
  if (!started || *started <= 0) return std::nullopt;
  return started;
}

ContainerStats ParseStatsJson(std::string_view text) {
  const auto document = Parse(text);
  ContainerStats stats;
  if (!document.is_object()) return stats;
  if (const auto ns = NumberAt(document, {"cpu_stats", "cpu_usage", "total_usage"})) stats.cpu_seconds = *ns / 1e9;
  stats.memory_usage_bytes = NumberAt(document, {"memory_stats", "usage"});
  stats.memory_limit_bytes = NumberAt(document, {"memory_stats", "limit"});
  // Working set as the docker CLI computes it: usage minus inactive file pages (v1 or v2 name).
  auto inactive = NumberAt(document, {"memory_stats", "stats", "total_inactive_file"});
  if (!inactive) inactive = NumberAt(document, {"memory_stats", "stats", "inactive_file"});
  if (stats.memory_usage_bytes) {
    const double ws = *stats.memory_usage_bytes - inactive.value_or(0);
    stats.memory_working_set_bytes = ws > 0 ? ws : 0;
  }
  stats.pids = NumberAt(document, {"pids_stats", "current"});
  if (const auto io = document.find("blkio_stats"); io != document.end() && io->is_object()) {
    if (const auto entries = io->find("io_service_bytes_recursive"); entries != io->end() && entries->is_array()) {
      for (const auto& e : *entries) {
        if (!e.is_object()) continue;
        const auto op = StringAt(e, "op");
        const auto value = NumberAt(e, {"value"});
        if (!value) continue;
        if (op == "Read" || op == "read") stats.blkio_read_bytes = stats.blkio_read_bytes.value_or(0) + *value;
        if (op == "Write" || op == "write") stats.blkio_write_bytes = stats.blkio_write_bytes.value_or(0) + *value;
      }
    }
  }
  if (const auto networks = document.find("networks"); networks != document.end() && networks->is_object()) {
    for (const auto& item : networks->items()) {
      const json& n = item.value();
      const auto v = [&n](const char* key) { return NumberAt(n, {key}).value_or(0); };
      stats.network.push_back({item.key(), v("rx_bytes"), v("rx_packets"), v("rx_errors"), v("rx_dropped"), v("tx_bytes"),
                               v("tx_packets"), v("tx_errors"), v("tx_dropped")});
    }
  }
  return stats;
}

std::optional<double> ParseRfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z; the Engine API always answers in UTC.
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text.back() != 'Z') {
    return std::nullopt;
  }
  const auto part = [&text](std::size_t at, std::size_t length) { return ParseInteger(text.substr(at, length)); };
  const auto year = part(0, 4), month = part(5, 2), day = part(8, 2), hour = part(11, 2), minute = part(14, 2),
             second = part(17, 2);
  if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
  std::tm tm{};
  tm.tm_year = static_cast<int>(*year) - 1900;
  tm.tm_mon = static_cast<int>(*month) - 1;
  tm.tm_mday = static_cast<int>(*day);
  tm.tm_hour = static_cast<int>(*hour);
  tm.tm_min = static_cast<int>(*minute);
  tm.tm_sec = static_cast<int>(*second);
  double seconds = static_cast<double>(timegm(&tm));
  if (text.size() > 21 && text[19] == '.') {
    const auto digits = text.substr(20, text.size() - 21);
    if (const auto fraction = ParseInteger(digits); fraction && digits.size() <= 9) {
      double scale = 1;
      for (std::size_t i = 0; i < digits.size(); ++i) scale *= 10;
      seconds += static_cast<double>(*fraction) / scale;
    }
  }
  return seconds;
}

std::string HealthFromStatus(std::string_view status) {
  if (status.find("(healthy)") != std::string_view::npos) return "healthy";
  if (status.find("(unhealthy)") != std::string_view::npos) return "unhealthy";
  if (status.find("(health: starting)") != std::string_view::npos) return "starting";
  return {};
}

}  // namespace silicon
