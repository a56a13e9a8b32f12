#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/collectable.h>

namespace silicon {

/// The text exposition (format 0.0.4) of every live collectable, in order (AppendTextFormat).
std::string RenderExposition(const std::vector<std::weak_ptr<prometheus::Collectable>>& collectables);

/// Whether an Accept-Encoding header value lets us answer with gzip (RFC 9110 12.5.3: "gzip;Q=0"
/// does not, "*;q=0, gzip" does).
bool AcceptsGzip(std::string_view accept_encoding);

/// text as a gzip member; nullopt if zlib fails (the caller then sends it uncompressed).
std::optional<std::string> Gzip(std::string_view text);

}  // namespace silicon
