#include "core/apple_cpu_tiers.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace silicon {

int AppleTierRank(char letter) {
  switch (letter) {
    case 'E': return 0;
    case 'M': return 1;
    case 'P': return 2;
    default: return -1;
  }
}

std::map<char, std::string> AppleTierNames(const std::set<char>& letters,
                                           const std::vector<std::string>& perflevel_names) {
  std::vector<char> fastest_first;
  for (const char letter : letters) {
    if (AppleTierRank(letter) >= 0) fastest_first.push_back(letter);
  }
  std::sort(fastest_first.begin(), fastest_first.end(),
            [](char a, char b) { return AppleTierRank(a) > AppleTierRank(b); });
  const bool named = !fastest_first.empty() && fastest_first.size() == perflevel_names.size() &&
                     std::none_of(perflevel_names.begin(), perflevel_names.end(),
                                  [](const std::string& name) { return name.empty(); });
  // Unnamed, the letters mean something only on the two-tier chips (M1-M4): with an M among them,
  // P is the Super tier (M5 Max), so nothing is named.
  const bool two_tier = std::all_of(letters.begin(), letters.end(), [](char l) { return l == 'E' || l == 'P'; });
  std::map<char, std::string> names;
  for (const char letter : letters) names[letter] = "unknown";
  for (std::size_t i = 0; i < fastest_first.size(); ++i) {
    const char letter = fastest_first[i];
    if (named) {
      std::string lower;
      for (const char c : perflevel_names[i]) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      names[letter] = lower;
    } else if (two_tier && letter == 'E') {
      names[letter] = "efficiency";
    } else if (two_tier && letter == 'P') {
      names[letter] = "performance";
    }
  }
  return names;
}

char AppleClusterTier(const std::string& channel) {
  std::string_view name = channel;
  if (name.starts_with("DIE_")) {  // Ultra parts: DIE_0_ECPU, DIE_1_PCPU1
    const auto underscore = name.find('_', 4);
    if (underscore == std::string_view::npos) return 0;
    name = name.substr(underscore + 1);
  }
  if (name.size() < 4 || name.substr(1, 3) != "CPU" || AppleTierRank(name[0]) < 0) return 0;
  for (const char c : name.substr(4)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return 0;
  }
  return name[0];
}

}  // namespace silicon
