// libFuzzer target: the web config loader (exporter-toolkit YAML) and the request header parsers
// (Authorization: Basic, Accept-Encoding, the request target) on arbitrary bytes. Bad input must be refused with
// WebConfigError or nullopt/false, never crash.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "exporter/exposition.h"
#include "exporter/http/request_target.h"
#include "exporter/http/web_auth.h"
#include "exporter/web_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)silicon::ParseBasicAuthorization(text);
  (void)silicon::AcceptsGzip(text);
  (void)silicon::IsBcryptHash(text);
  // A target either fails or yields a path that starts with '/' (or is "*"): routes compare paths.
  if (const auto target = silicon::ParseRequestTarget(text)) {
    if (target->path != "*" && (target->path.empty() || target->path.front() != '/')) std::abort();
  }

  // LoadWebConfig reads a file (relative paths in it resolve against the file's folder).
  static const std::string path = [] {
    char name[] = "/tmp/silicon-web-fuzz-XXXXXX";
    const int fd = mkstemp(name);
    if (fd >= 0) close(fd);
    return std::string(name);
  }();
  std::ofstream(path, std::ios::trunc | std::ios::binary) << text;
  try {
    (void)silicon::LoadWebConfig(path);
  } catch (const silicon::WebConfigError&) {
    // refused with a message: the expected outcome for most inputs
  }
  return 0;
}
