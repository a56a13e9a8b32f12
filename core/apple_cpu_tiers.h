#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

// The CPU tiers of Apple Silicon, shared by the cpu collector (device-tree cluster types) and the
// power collector (IOReport cluster channels, pmgr acc-clusters). Platform-neutral.
//
// Letters, slowest tier first, as the device tree's cpuN/cluster-type and IOReport's channel
// prefixes spell them: E (ECPU), M (MCPU, the middle tier of M5 Pro/Max), P (PCPU, the fastest).
// macOS names the tiers in hw.perflevelN.name, fastest first: "Performance"/"Efficiency" on
// M1-M4, "Super"/"Performance" on M5 Max, where the device tree types its 18 CPUs M, M, P
// (https://github.com/kennss/SiliconScope/issues/30) and sysctl says 6 Super + 12 Performance
// (https://github.com/vladkens/macmon/issues/47). So a letter means nothing by itself: P is
// "performance" on an M3 Max and "super" on an M5 Max. The names come from macOS.
namespace silicon {

/// The rank of a tier letter, slowest first (E 0, M 1, P 2); -1 for any other letter.
int AppleTierRank(char letter);

/// Names each tier letter by macOS's own words, lowercased: the letters present, fastest first,
/// pair with perflevel_names (hw.perflevel0.name, 1, ...). When the counts differ or names are
/// missing, E is "efficiency" and P "performance" where those are the only letters (M1-M4), and
/// every letter "unknown" otherwise (an M5 Max's P is its Super tier): no guessing.
std::map<char, std::string> AppleTierNames(const std::set<char>& letters,
                                           const std::vector<std::string>& perflevel_names);

/// The tier letter of an IOReport CPU cluster channel after any DIE_n_ prefix: 'E' for ECPU,
/// ECPU1, 'M' for MCPU0, 'P' for PCPU, PCPU1; 0 for anything else (PCPM, PCPM_IDLE, ECPU0 of
/// the per-core subgroup is told apart by the caller's subgroup, not here).
char AppleClusterTier(const std::string& channel);

}  // namespace silicon
