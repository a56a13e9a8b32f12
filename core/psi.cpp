#include "core/psi.h"

#include "core/text_file.h"

namespace silicon {
namespace {

// "some avg10=0.00 avg60=0.00 avg300=0.00 total=0" (Documentation/accounting/psi.rst).
std::optional<PsiLine> ParsePsiFields(const Fields& fields) {
  if (fields.size() != 5) return std::nullopt;
  PsiLine line;
  const std::pair<std::string_view, double*> averages[] = {
      {"avg10=", &line.avg10}, {"avg60=", &line.avg60}, {"avg300=", &line.avg300}};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& [prefix, field] = averages[i];
    if (!fields[i + 1].starts_with(prefix)) return std::nullopt;
    const auto value = ParseNumber(fields[i + 1].substr(prefix.size()));
    if (!value || *value < 0) return std::nullopt;
    *field = *value;
  }
  if (!fields[4].starts_with("total=")) return std::nullopt;
  const auto total_us = ParseInteger(fields[4].substr(6));  // microseconds
  if (!total_us || *total_us < 0) return std::nullopt;
  line.total_seconds = static_cast<double>(*total_us) / 1e6;
  return line;
}

}  // namespace

std::optional<PsiStats> ParsePsi(std::string_view text) {
  PsiStats stats;
  for (const auto line : SplitLines(text)) {
    const auto fields = SplitFields(line);
    if (fields.empty()) continue;
    if (fields[0] == "some") stats.some = ParsePsiFields(fields);
    if (fields[0] == "full") stats.full = ParsePsiFields(fields);
  }
  if (!stats.some && !stats.full) return std::nullopt;
  return stats;
}

}  // namespace silicon
