#include "collectors/docker/docker_context.h"

#include <nlohmann/json.hpp>

#include "core/directory.h"
#include "core/text_file.h"

namespace silicon {
namespace {

constexpr std::size_t kMaxJsonBytes = 256 * 1024;  // CLI config files are a few hundred bytes

std::optional<nlohmann::json> ReadJson(const std::filesystem::path& path) {
  const auto text = ReadTextFile(path, kMaxJsonBytes);
  if (!text) return std::nullopt;
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  return json;
}

std::optional<std::string> StringAt(const nlohmann::json& json, const nlohmann::json::json_pointer& pointer) {
  if (!json.contains(pointer)) return std::nullopt;
  const auto& value = json.at(pointer);
  if (!value.is_string()) return std::nullopt;
  return value.get<std::string>();
}

}  // namespace

std::optional<std::string> DockerContextHost(const std::filesystem::path& config_dir,
                                             const std::optional<std::string>& context_env) {
  std::optional<std::string> context = context_env;
  if (!context || context->empty()) {
    const auto config = ReadJson(config_dir / "config.json");
    if (config) context = StringAt(*config, nlohmann::json::json_pointer("/currentContext"));
  }
  if (!context || context->empty() || *context == "default") return std::nullopt;
  const auto meta_dir = config_dir / "contexts" / "meta";
  for (const auto& entry : ListNames(meta_dir)) {
    const auto meta = ReadJson(meta_dir / entry / "meta.json");
    if (!meta || StringAt(*meta, nlohmann::json::json_pointer("/Name")) != context) continue;
    return StringAt(*meta, nlohmann::json::json_pointer("/Endpoints/docker/Host"));
  }
  return std::nullopt;
}

}  // namespace silicon
