#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "tests/unit/test_support.h"

namespace silicon::test {

/// The data lines of a capture under tests/fixtures/mac-captures/ (its header of "# " lines left
/// out; a data line may itself start with '#', as the SMC key "#KEY" does).
inline std::string MacCapture(const std::string& relative_path) {
  std::ifstream file(std::string(SILICON_FIXTURES) + "/mac-captures/" + relative_path);
  if (!file) throw std::runtime_error("no capture " + relative_path);
  std::string line, data;
  while (std::getline(file, line)) {
    if (!line.empty() && line != "#" && !line.starts_with("# ")) data += line + '\n';
  }
  return data;
}

}  // namespace silicon::test
