#include "collectors/filesystem/mountinfo.h"

#include <map>

#include "core/text_file.h"

namespace silicon {
namespace {

// The kernel writes space, tab, newline and backslash in paths as \ooo (fs/proc_namespace.c,
// mangle()); undone here so the label reads as the path does.
std::string Unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool octal = text[i] == '\\' && i + 3 < text.size() &&
                       text.substr(i + 1, 3).find_first_not_of("01234567") == std::string_view::npos;
    if (octal) {
      out += static_cast<char>(((text[i + 1] - '0') << 6) | ((text[i + 2] - '0') << 3) | (text[i + 3] - '0'));
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

bool HasOption(std::string_view options, std::string_view wanted) {
  while (!options.empty()) {
    const auto comma = options.find(',');
    if (options.substr(0, comma) == wanted) return true;
    if (comma == std::string_view::npos) break;
    options.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::vector<MountEntry> ParseMountinfo(std::string_view text) {
  std::vector<MountEntry> mounts;
  std::map<std::string, std::size_t> by_mountpoint;
  for (const auto line : SplitLines(text)) {
    // "id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions"
    const auto separator = line.find(" - ");
    if (separator == std::string_view::npos) continue;
    const auto before = SplitFields(line.substr(0, separator));
    const auto after = SplitFields(line.substr(separator + 3));
    if (before.size() < 6 || after.size() < 3) continue;
    MountEntry entry{Unescape(after[1]), Unescape(before[4]), std::string(after[0]),
                     HasOption(before[5], "ro") || HasOption(after[2], "ro")};
    const auto [it, inserted] = by_mountpoint.emplace(entry.mountpoint, mounts.size());
    if (inserted) {
      mounts.push_back(std::move(entry));
    } else {
      mounts[it->second] = std::move(entry);  // mounted over: the later mount is the one visible
    }
  }
  return mounts;
}

}  // namespace silicon
