#include "tests/unit/catch.h"

#include <zlib.h>

#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include "exporter/exposition.h"

using namespace silicon;

namespace {
std::string Gunzip(const std::string& data) {
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  REQUIRE(result == Z_STREAM_END);
  return out;
}
}  // namespace

TEST_CASE("Accept-Encoding values that allow gzip", "[web][parser][bad-input]") {
  CHECK(AcceptsGzip("gzip"));
  CHECK(AcceptsGzip("GZIP"));
  CHECK(AcceptsGzip("deflate, gzip;q=0.5"));
  CHECK(AcceptsGzip("identity, *"));
  CHECK(AcceptsGzip(" gzip ; q=1.0 "));
  CHECK_FALSE(AcceptsGzip(""));
  CHECK_FALSE(AcceptsGzip("identity"));
  CHECK_FALSE(AcceptsGzip("gzip;q=0"));
  CHECK_FALSE(AcceptsGzip("gzip;q=0.000"));
  CHECK_FALSE(AcceptsGzip("x-gzip-ish"));
  CHECK_FALSE(AcceptsGzip(",,,;;;q="));
}

TEST_CASE("Accept-Encoding: the q name in any case, gzip named over *", "[web][parser]") {
  // RFC 9110 12.4.2: parameter names are case-insensitive; "gzip;Q=0" used to get gzip.
  CHECK_FALSE(AcceptsGzip("gzip;Q=0"));
  CHECK_FALSE(AcceptsGzip("gzip ; Q = 0.0"));
  // 12.5.3: "*" covers only codings not listed; "*;q=0, gzip" used to refuse gzip.
  CHECK(AcceptsGzip("*;q=0, gzip"));
  CHECK_FALSE(AcceptsGzip("gzip;q=0, *"));
  CHECK_FALSE(AcceptsGzip("*;q=0"));
  CHECK(AcceptsGzip("x-gzip"));  // 8.4.1.3: a synonym
  CHECK(AcceptsGzip("gzip;level=1;q=0.001"));
  CHECK_FALSE(AcceptsGzip("gzip;q=2"));     // malformed weight: the member is ignored
  CHECK_FALSE(AcceptsGzip("gzip;q=1.5"));
  CHECK(AcceptsGzip("gzip;q=1.000"));
  CHECK(AcceptsGzip("gzip;q=bogus, *"));
}

TEST_CASE("gzip output inflates back to the input", "[web]") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "silicon_metric{label=\"" + std::to_string(i) + "\"} 1\n";
  const auto compressed = Gzip(text);
  REQUIRE(compressed);
  CHECK(compressed->size() < text.size() / 4);
  CHECK(static_cast<unsigned char>((*compressed)[0]) == 0x1f);  // gzip magic
  CHECK(static_cast<unsigned char>((*compressed)[1]) == 0x8b);
  CHECK(Gunzip(*compressed) == text);
  CHECK(Gunzip(*Gzip("")).empty());
}

TEST_CASE("the exposition holds every live collectable in order", "[web]") {
  auto first = std::make_shared<prometheus::Registry>();
  auto second = std::make_shared<prometheus::Registry>();
  prometheus::BuildCounter().Name("first_total").Help("h").Register(*first).Add({}).Increment(3);
  prometheus::BuildCounter().Name("second_total").Help("h").Register(*second).Add({{"a", "b"}});
  std::weak_ptr<prometheus::Collectable> gone;
  {
    auto temporary = std::make_shared<prometheus::Registry>();
    gone = temporary;
  }
  const auto text = RenderExposition({first, gone, second});
  const auto first_at = text.find("first_total 3");
  const auto second_at = text.find("second_total{a=\"b\"} 0");
  REQUIRE(first_at != std::string::npos);
  REQUIRE(second_at != std::string::npos);
  CHECK(first_at < second_at);
}
