#include "exporter/exposition.h"

#include <zlib.h>

#include <algorithm>


#include "core/text_file.h"
#include "exporter/text_format.h"

namespace silicon {
namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  }
  return true;
}

// The weight of one Accept-Encoding member's parameters (RFC 9110 12.4.2: "q", in any case, then a
// qvalue of at most three decimals): 1 when none is given, -1 when it is malformed (the member is
// then ignored, as Go's content negotiation does), else 0 (refused) or more (accepted).
int Weight(std::string_view parameters) {
  while (!parameters.empty()) {
    const auto semicolon = parameters.find(';');
    const auto parameter = TrimSpace(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos ? std::string_view() : parameters.substr(semicolon + 1);
    const auto equals = parameter.find('=');
    if (equals == std::string_view::npos || !EqualsIgnoringCase(TrimSpace(parameter.substr(0, equals)), "q")) {
      continue;
    }
    const auto value = TrimSpace(parameter.substr(equals + 1));
    // "0" or "1", optionally "." and up to three digits (only zeros after a 1).
    if (value.empty() || (value[0] != '0' && value[0] != '1') || value.size() > 5) return -1;
    if (value.size() > 1 && (value[1] != '.' || value.find_first_not_of(value[0] == '1' ? "0" : "0123456789", 2) !=
                                                    std::string_view::npos)) {
      return -1;
    }
    return value.find_first_not_of("0.") == std::string_view::npos ? 0 : 1;
  }
  return 1;
}

}  // namespace

std::string RenderExposition(const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables) {
  std::string text;
  text.reserve(16384);  // a laptop's full exposition is ~15 KB: one allocation, not a dozen regrowths
  for (const auto& weak : collectables) {
    const auto collectable = weak.lock();
    if (!collectable) continue;
    AppendTextFormat(text, collectable->Collect());
  }
  return text;
}

bool AcceptsGzip(std::string_view accept_encoding) {
  // RFC 9110 12.5.3: a coding named explicitly is judged by its own weight, whatever "*" says
  // ("*;q=0, gzip" accepts gzip, "gzip;q=0, *" refuses it); "x-gzip" is gzip (8.4.1.3).
  int gzip = -1;
  int any = -1;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const auto item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const auto semicolon = item.find(';');
    const auto coding = TrimSpace(item.substr(0, semicolon));
    const int weight = semicolon == std::string_view::npos ? 1 : Weight(item.substr(semicolon + 1));
    if (EqualsIgnoringCase(coding, "gzip") || EqualsIgnoringCase(coding, "x-gzip")) {
      gzip = std::max(gzip, weight);
    } else if (coding == "*") {
      any = std::max(any, weight);
    }
  }
  return gzip >= 0 ? gzip > 0 : any > 0;
}

std::optional<std::string> Gzip(std::string_view text) {
  z_stream stream{};
  // windowBits 15 + 16 asks zlib for a gzip header and trailer instead of a zlib one.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return std::nullopt;
  }
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  const auto written = stream.total_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) return std::nullopt;
  out.resize(written);
  return out;
}

}  // namespace silicon
