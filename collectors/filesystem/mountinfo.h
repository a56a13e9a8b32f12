#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace silicon {

/// One line of /proc/<pid>/mountinfo (proc(5)), the fields the filesystem collector uses.
struct MountEntry {
  std::string device;      // mount source, octal escapes undone
  std::string mountpoint;  // octal escapes (\040 for a space) undone
  std::string fstype;
  bool readonly = false;  // "ro" in the mount's options or in the super block's
};

/// Parses a mountinfo file; lines without the " - " separator or too short are skipped. A mount
/// point mounted over again is kept once, as the last (visible) mount.
std::vector<MountEntry> ParseMountinfo(std::string_view text);

}  // namespace silicon
