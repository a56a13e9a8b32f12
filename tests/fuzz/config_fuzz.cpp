// libFuzzer target: the YAML config loader must refuse bad input with ConfigError, never crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "exporter/config_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  silicon::Settings settings;
  try {
    silicon::LoadConfigText(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yml", settings);
  } catch (const silicon::ConfigError&) {
    // refused with a message: the expected outcome for most inputs
  }
  return 0;
}
