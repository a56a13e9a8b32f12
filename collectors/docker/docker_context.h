#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace silicon {

/// The endpoint (unix:///..., tcp://...) of the docker CLI's current context, so that a
/// LaunchAgent, which inherits no DOCKER_HOST, finds Colima, OrbStack or a remote engine as the
/// user's shell does. The context is context_env (DOCKER_CONTEXT) or else currentContext of
/// <config_dir>/config.json; its endpoint is in <config_dir>/contexts/meta/<sha256 of name>/meta.json,
/// found here by scanning for the name rather than hashing it. nullopt for the "default" context,
/// none, or anything unreadable or malformed.
std::optional<std::string> DockerContextHost(const std::filesystem::path& config_dir,
                                             const std::optional<std::string>& context_env);

}  // namespace silicon
