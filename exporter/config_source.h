#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace silicon {

/// The largest config, web config, certificate or key file taken in: real ones are a few KiB; a
/// 50 MB user list once took 793 MB of memory (the systemd unit caps the exporter at 64 MB).
inline constexpr std::size_t kMaxConfigFileBytes = 1 << 20;

/// A file of the configuration read whole, or what is wrong with it: missing or unreadable, not a
/// regular file (a FIFO would block start-up and reloads, /dev/zero never ends, a directory means
/// nothing), or larger than max_bytes. The error names the kind of file ("config file"), not the
/// path: callers put that first.
struct ConfigSource {
  std::optional<std::string> text;
  std::string error;
};

/// Reads path as a configuration file of the kind `what` (see ConfigSource).
ConfigSource ReadConfigSource(const std::string& path, const std::string& what,
                              std::size_t max_bytes = kMaxConfigFileBytes);

/// What is wrong with path as a file OpenSSL will read later (certificate, key, CA), or nullopt.
std::optional<std::string> CheckConfigSourcePath(const std::string& path);

}  // namespace silicon
