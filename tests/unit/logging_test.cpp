#include "tests/unit/catch.h"

#include "exporter/log_line.h"

#include <limits>

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

namespace {

log::Record Record(std::string msg, std::initializer_list<log::Field> fields) {
  return log::DecodeRecord(log::EncodeRecord(msg, fields));
}

}  // namespace

TEST_CASE("log record: message and fields survive spdlog's payload, whatever bytes they hold", "[log]") {
  const std::string odd(
      "a\x1e"
      "3:x\0y",
      7);
  const auto record = Record("collector failed", {{"collector", "cpu"}, {"err", odd}, {"port", 10025}, {"up", true}});
  CHECK(record.msg == "collector failed");
  REQUIRE(record.fields.size() == 4);
  CHECK(record.fields[0].key == "collector");
  CHECK(record.fields[0].value == "cpu");
  CHECK(record.fields[0].kind == log::Field::Kind::kText);
  CHECK(record.fields[1].value == odd);
  CHECK(record.fields[2].value == "10025");
  CHECK(record.fields[2].kind == log::Field::Kind::kBare);
  CHECK(record.fields[3].value == "true");
}

TEST_CASE("log record: text that is not an encoded record is the message, all of it", "[log][bad-input]") {
  CHECK(log::DecodeRecord("plain spdlog text").msg == "plain spdlog text");
  CHECK(log::DecodeRecord("").msg.empty());
  for (const std::string broken : {"\x1e",
                                   "\x1e"
                                   "5:ab",
                                   "\x1e"
                                   "2:ab"
                                   "1:",
                                   "\x1e"
                                   "2:ab"
                                   "0:"
                                   "1:x",
                                   "\x1e"
                                   "99999999999999999999999:a",
                                   "\x1e"
                                   "-1:a"}) {
    const auto record = log::DecodeRecord(broken);
    CHECK(record.msg == broken);
    CHECK(record.fields.empty());
  }
}

TEST_CASE("log numbers: doubles shortest, NaN and Inf as text since JSON has neither", "[log]") {
  CHECK(log::Field("s", 0.25).value == "0.25");
  CHECK(log::Field("s", 0.25).kind == log::Field::Kind::kBare);
  CHECK(log::Field("s", std::numeric_limits<double>::quiet_NaN()).value == "NaN");
  CHECK(log::Field("s", std::numeric_limits<double>::quiet_NaN()).kind == log::Field::Kind::kText);
  CHECK(log::Field("s", -std::numeric_limits<double>::infinity()).value == "-Inf");
}

TEST_CASE("logfmt line: each field a key of its own, quoted only where a reader would split", "[log]") {
  const auto record = Record(
      "collector failed",
      {{"collector", "cpu"}, {"err", "read /proc/stat: no such file"}, {"port", 10025}, {"empty", ""}, {"eq", "a=b"}});
  CHECK(FormatLogLine(LogFormat::kLogfmt, "T", "error", record) ==
        "ts=T level=error msg=\"collector failed\" collector=cpu err=\"read /proc/stat: no such file\" port=10025 "
        "empty=\"\" eq=\"a=b\"\n");
}

TEST_CASE("logfmt line: quotes, newlines and foreign bytes in a value stay inside it", "[log][bad-input]") {
  const auto record = Record("authentication failed",
                             {{"user", "a\"b c\nlevel=error"}, {"target", "\xff/x"}, {"name", "gr\xc3\xbc\xc3\x9f"}});
  CHECK(FormatLogLine(LogFormat::kLogfmt, "T", "warn", record) ==
        "ts=T level=warn msg=\"authentication failed\" user=\"a\\\"b c\\nlevel=error\" target=\"\\\\xff/x\" "
        "name=\"gr\xc3\xbc\xc3\x9f\"\n");
  // A key with a space or '=' (none of ours has one) still cannot split the line.
  CHECK(FormatLogLine(LogFormat::kLogfmt, "T", "info", Record("m", {{"a b=c", "1"}})) ==
        "ts=T level=info msg=\"m\" a_b_c=1\n");
}

TEST_CASE("JSON line: fields as keys, numbers and booleans bare, text escaped", "[log]") {
  const auto record = Record("listening", {{"address", "127.0.0.1:10025"},
                                           {"port", 10025},
                                           {"tls", "off"},
                                           {"ratio", 0.5},
                                           {"up", false},
                                           {"user", "\"\xff\n"}});
  CHECK(FormatLogLine(LogFormat::kJson, "T", "info", record) ==
        "{\"ts\":\"T\",\"level\":\"info\",\"msg\":\"listening\",\"address\":\"127.0.0.1:10025\",\"port\":10025,"
        "\"tls\":\"off\",\"ratio\":0.5,\"up\":false,\"user\":\"\\\"\\\\xff\\n\"}\n");
}
