#pragma once

#include <optional>
#include <string_view>

namespace silicon {

/// One line of a /proc/pressure file: stall averages in percent and the total stall time.
struct PsiLine {
  double avg10 = 0;
  double avg60 = 0;
  double avg300 = 0;
  double total_seconds = 0;
};

/// A /proc/pressure/{cpu,memory,io} file: "some" tasks stalled, or "full"y stalled.
struct PsiStats {
  std::optional<PsiLine> some;
  std::optional<PsiLine> full;
};

/// Parses a pressure file; nullopt when neither line parses.
std::optional<PsiStats> ParsePsi(std::string_view text);

}  // namespace silicon
