#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace silicon {

/// Names in dir that start with prefix, sorted; empty when dir is missing or unreadable.
/// Plain readdir: no stat per entry, which std::filesystem::directory_iterator costs on every
/// scrape of a sysfs class folder.
std::vector<std::string> ListNames(const std::filesystem::path& dir, std::string_view prefix = {});

}  // namespace silicon
