#include "exporter/http/request_target.h"

#include <algorithm>
#include <cctype>

namespace silicon {
namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

RequestTarget SplitOrigin(std::string_view origin) {
  const auto question = origin.find('?');
  if (question == std::string_view::npos) return {std::string(origin), {}};
  return {std::string(origin.substr(0, question)), std::string(origin.substr(question + 1))};
}

}  // namespace

std::optional<RequestTarget> ParseRequestTarget(std::string_view target) {
  if (target == "*") return RequestTarget{"*", {}};
  if (!target.empty() && target.front() == '/') return SplitOrigin(target);
  for (const std::string_view scheme : {"http://", "https://"}) {
    if (!StartsWithNoCase(target, scheme)) continue;
    const std::string_view rest = target.substr(scheme.size());
    const auto path_start = rest.find_first_of("/?");
    if (path_start == std::string_view::npos) return RequestTarget{"/", {}};
    if (rest[path_start] == '?') return RequestTarget{"/", std::string(rest.substr(path_start + 1))};  // "http://host?q"
    return SplitOrigin(rest.substr(path_start));
  }
  return std::nullopt;
}

}  // namespace silicon
