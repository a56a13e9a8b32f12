#include "tests/unit/catch.h"

#include "exporter/logging.h"

using namespace silicon;

TEST_CASE("log text: quotes, controls and backslashes escaped", "[log]") {
  CHECK(EscapeLogText("a \"b\" \\ c\n\t") == "a \\\"b\\\" \\\\ c\\n\\t");
  CHECK(EscapeLogText(std::string("\x01\x7f", 2)) == "\\u0001\\u007f");
}

TEST_CASE("log text: UTF-8 kept, other bytes >= 0x80 escaped so JSON lines stay valid", "[log][bad-input]") {
  // A user name or target from a client went into the log raw: "\xff" made a --log.format=json
  // line that no JSON parser reads (Python: UnicodeDecodeError).
  CHECK(EscapeLogText("gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x94\x92") == "gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x94\x92");
  CHECK(EscapeLogText("\xff\xfe" "admin") == "\\\\xff\\\\xfeadmin");
  CHECK(EscapeLogText("\xc3") == "\\\\xc3");                      // cut short
  CHECK(EscapeLogText("\xc0\xaf") == "\\\\xc0\\\\xaf");           // overlong '/'
  CHECK(EscapeLogText("\xed\xa0\x80") == "\\\\xed\\\\xa0\\\\x80");  // a UTF-16 surrogate
  CHECK(EscapeLogText("\xf4\x90\x80\x80") == "\\\\xf4\\\\x90\\\\x80\\\\x80");  // above U+10FFFF
  CHECK(EscapeLogText("\xc2\x85") == "\\u0085");  // C1 control (NEL)
  CHECK(EscapeLogText("\xc2\xa0") == "\xc2\xa0");
}
