#include "exporter/exposition.h"

#include <zlib.h>


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

// A q-value of zero means "not acceptable" (RFC 9110 12.4.2); anything else, or none, accepts.
bool QualityIsZero(std::string_view parameters) {
  const auto q = parameters.find("q=");
  if (q == std::string_view::npos) return false;
  const auto value = TrimSpace(parameters.substr(q + 2));
  return !value.empty() && value.find_first_not_of("0.") == std::string_view::npos;
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
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    const auto item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const auto semicolon = item.find(';');
    const auto coding = TrimSpace(item.substr(0, semicolon));
    if (!EqualsIgnoringCase(coding, "gzip") && coding != "*") continue;
    return semicolon == std::string_view::npos || !QualityIsZero(item.substr(semicolon + 1));
  }
  return false;
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
