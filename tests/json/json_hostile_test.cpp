// Unit tests for Json::parse on hostile input: empty and whitespace-only documents, every
// truncation of realistic documents, trailing garbage, invalid UTF-8, lone surrogate escapes,
// raw control characters, numbers out of range, 200,000 levels of nesting, and random and
// mutated bytes. Each input must give an error value with the right code and offset (or a
// documented result), never a crash or a hang.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "json_test_util.hpp"

using chathooks::Errc;
using chathooks::Json;
using chathooks::ParseOptions;
using json_test::nested;
using json_test::parse_error;
using json_test::parse_ok;
using json_test::printable;
using json_test::repeat;
using namespace std::string_view_literals;

namespace {

std::size_t utf8_length(char lead) {
  const auto c = static_cast<unsigned char>(lead);
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

struct Expected {
  Errc code;
  std::size_t offset;
};

// How a prefix of a valid document must fail: at its end, except when it stops inside an
// escape sequence (reported at the backslash) or inside a multi-byte UTF-8 character
// (invalid_utf8 at the character's first byte).
Expected expected_truncation(std::string_view prefix) {
  bool in_string = false;
  std::size_t i = 0;
  while (i < prefix.size()) {
    const char c = prefix[i];
    if (!in_string) {
      if (c == '"') in_string = true;
      ++i;
    } else if (c == '\\') {
      const bool unicode = i + 1 < prefix.size() && prefix[i + 1] == 'u';
      const std::size_t length = unicode ? 6 : 2;
      if (i + length > prefix.size()) return {Errc::syntax, i};
      i += length;
    } else if (c == '"') {
      in_string = false;
      ++i;
    } else {
      const std::size_t length = utf8_length(c);
      if (i + length > prefix.size()) return {Errc::invalid_utf8, i};
      i += length;
    }
  }
  return {Errc::syntax, prefix.size()};
}

// Every proper prefix of `document` (up to its last significant byte) must fail cleanly.
void check_every_prefix_fails(const std::string& document) {
  std::size_t end = document.size();
  while (end > 0 && (document[end - 1] == '\n' || document[end - 1] == ' ')) --end;
  for (std::size_t length = 0; length < end; ++length) {
    const std::string_view prefix = std::string_view(document).substr(0, length);
    auto result = Json::parse(prefix);
    INFO("prefix of " << length << " bytes, ending '"
                      << printable(prefix.substr(length > 30 ? length - 30 : 0)) << "'");
    REQUIRE_FALSE(result.ok());
    const Expected expected = expected_truncation(prefix);
    CHECK(result.error().code() == expected.code);
    CHECK(result.error().offset() == expected.offset);
    CHECK_FALSE(result.error().message().empty());
  }
}

// A document in the style of the webhooks with every kind of token, escapes and multi-byte
// characters (2, 3 and 4 bytes) to cut through.
const std::string kRealistic = R"({
  "id": "evt_01HZX\u00e9",
  "type": "message.received",
  "created": "2024-06-02T12:00:10.38771Z",
  "attempt": 3,
  "score": -12.5e+3,
  "ratio": 0.25,
  "big": 18446744073709551615,
  "flags": [true, false, null],
  "contact": {"name": "Jos\u00e9 Ara\u00fajo", "city": ")"
                               "S\xC3\xA3o Paulo \xE2\x82\xAC \xF0\x9F\x98\x80"
                               R"(",
              "tags": ["vip", "a\"b\\c\/d\n"], "empty": {}, "none": []},
  "text": "line1\r\nline2\ttab \u20ac"
})";

}  // namespace

TEST_CASE("Empty input is a syntax error at byte 0", "[json][hostile]") {
  const auto error = parse_error("");
  CHECK(error.code() == Errc::syntax);
  CHECK(error.offset() == std::size_t{0});
  CHECK(error.pointer().empty());
  CHECK_FALSE(error.message().empty());
}

// Regression test (fixed, found by tests/fuzz): a default-constructed string_view has a null
// data(), which the decoder passed to memchr (undefined behaviour, reported by UBSan).
TEST_CASE("An empty view with a null data() is a syntax error at byte 0", "[json][hostile]") {
  const std::string_view null_view;
  REQUIRE(null_view.data() == nullptr);
  const auto error = parse_error(null_view);
  CHECK(error.code() == Errc::syntax);
  CHECK(error.offset() == std::size_t{0});
  ParseOptions no_bom;
  no_bom.allow_bom = false;
  CHECK(Json::parse(null_view, no_bom).error().code() == Errc::syntax);
}

TEST_CASE("Whitespace-only input is a syntax error at its end", "[json][hostile]") {
  for (std::string_view text : {" "sv, "   "sv, "\n"sv, "\t\r\n "sv}) {
    const auto error = parse_error(text);
    CHECK(error.code() == Errc::syntax);
    CHECK(error.offset() == text.size());
  }
  SECTION("characters JSON does not count as whitespace") {
    CHECK(parse_error("\f").code() == Errc::syntax);
    CHECK(parse_error("\v1").code() == Errc::syntax);
    CHECK(parse_error("\xC2\xA0"
                      "1")
              .code() == Errc::syntax);  // U+00A0 NO-BREAK SPACE
  }
}

TEST_CASE("Every truncation of a realistic document fails cleanly", "[json][hostile][truncated]") {
  REQUIRE(parse_ok(kRealistic).size() == 10);
  CHECK(*parse_ok(kRealistic).at_pointer("/contact/city")->get_string() ==
        "S\xC3\xA3o Paulo \xE2\x82\xAC \xF0\x9F\x98\x80");
  check_every_prefix_fails(kRealistic);
}

TEST_CASE("Every truncation of the protocol examples fails cleanly", "[json][hostile][truncated]") {
  for (const auto& name : json_test::vector_files()) {
    INFO("file: " << name);
    const std::string document = json_test::read_test_data(name);
    REQUIRE(parse_ok(document).is_object());
    check_every_prefix_fails(document);
  }
}

TEST_CASE("Trailing garbage is a syntax error where it starts", "[json][hostile]") {
  struct Case {
    std::string_view text;
    std::size_t offset;
  };
  const Case cases[] = {
      {"[1] x", 4},   {"{}}", 2},        {"1 2", 2},     {R"("a""b")", 3},      {"[1]]", 3},
      {"null,", 4},   {"true false", 5}, {"01", 1},      {"{} {}", 3},          {"0.5.", 3},
      {"[]\n//c", 3}, {"1\xC3\xA9", 1},  {"\"s\"\"", 3}, {"{}\xEF\xBB\xBF", 2},
  };
  for (const auto& c : cases) {
    INFO("input: " << printable(c.text));
    const auto error = parse_error(c.text);
    CHECK(error.code() == Errc::syntax);
    CHECK(error.offset() == c.offset);
    CHECK(error.pointer().empty());
  }
}

// A parser that stops at a NUL would read "[1]\0x" as [1]; two parsers that disagree on where
// a document ends are a way around signature checks.
TEST_CASE("Bytes after a NUL that follows the document are trailing garbage", "[json][hostile]") {
  struct Case {
    std::string_view text;
    std::size_t offset;
  };
  const Case cases[] = {
      {"[1]\0x"sv, 3},
      {"1\0abc"sv, 1},
      {"{}\0"sv, 2},
      {"{\"a\":1} \0{\"a\":2}"sv, 8},
  };
  for (const auto& c : cases) {
    INFO("input: " << printable(c.text));
    auto result = Json::parse(c.text);
    REQUIRE_FALSE(result.ok());
    CHECK(result.error().code() == Errc::syntax);
    CHECK(result.error().offset() == c.offset);
  }
}

TEST_CASE("A NUL byte anywhere before the end of the document is a syntax error",
          "[json][hostile]") {
  struct Case {
    std::string_view text;
    std::size_t offset;
  };
  const Case cases[] = {
      {"\0"sv, 0}, {"\0[1]"sv, 0}, {"[1,\0 2]"sv, 3}, {"[\"a\0b\"]"sv, 3}, {"{\"a\0\":1}"sv, 3},
  };
  for (const auto& c : cases) {
    INFO("input: " << printable(c.text));
    const auto error = parse_error(c.text);
    CHECK(error.code() == Errc::syntax);
    CHECK(error.offset() == c.offset);
  }
}

TEST_CASE("Invalid UTF-8 in strings and member names is invalid_utf8 at the bad sequence",
          "[json][hostile][utf8]") {
  struct Case {
    const char* what;
    std::string_view bytes;
  };
  const Case cases[] = {
      {"overlong 2-byte NUL", "\xC0\x80"},
      {"overlong 2-byte", "\xC1\xBF"},
      {"overlong 3-byte", "\xE0\x80\x80"},
      {"overlong 3-byte U+07FF", "\xE0\x9F\xBF"},
      {"overlong 4-byte", "\xF0\x80\x80\x80"},
      {"overlong 4-byte U+FFFF", "\xF0\x8F\xBF\xBF"},
      {"bad continuation after 2-byte lead", "\xC3\x28"},
      {"bad continuation in 3-byte", "\xE2\x82\x28"},
      {"bad continuation in 4-byte", "\xF0\x9F\x98\x28"},
      {"lone continuation 0x80", "\x80"},
      {"lone continuation 0xBF", "\xBF"},
      {"0xFF", "\xFF"},
      {"0xFE", "\xFE"},
      {"0xF5", "\xF5\x80\x80\x80"},
      {"0xF8 5-byte form", "\xF8\x88\x80\x80\x80"},
      {"truncated 2-byte", "\xC3"},
      {"truncated 3-byte", "\xE2\x82"},
      {"truncated 4-byte", "\xF0\x9F\x98"},
      {"surrogate bytes ED A0 80 (U+D800)", "\xED\xA0\x80"},
      {"surrogate bytes ED BF BF (U+DFFF)", "\xED\xBF\xBF"},
      {"CESU-8 surrogate pair", "\xED\xA0\xBD\xED\xB8\x80"},
      {"above U+10FFFF", "\xF4\x90\x80\x80"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    {
      const std::string text = "[\"ok\",\"ab" + std::string(c.bytes) + "cd\"]";
      const auto error = parse_error(text);
      CHECK(error.code() == Errc::invalid_utf8);
      CHECK(error.offset() == std::size_t{9});
    }
    {
      const std::string text = "{\"ok\":1,\"k" + std::string(c.bytes) + "\":2}";
      const auto error = parse_error(text);
      CHECK(error.code() == Errc::invalid_utf8);
      CHECK(error.offset() == std::size_t{10});
    }
  }
  SECTION("a truncated character at the very end of the input") {
    const auto error = parse_error("\"ab\xE2\x82");
    CHECK(error.code() == Errc::invalid_utf8);
    CHECK(error.offset() == std::size_t{3});
  }
}

TEST_CASE("Bytes outside strings: invalid UTF-8 is invalid_utf8, valid UTF-8 is syntax",
          "[json][hostile][utf8]") {
  const auto invalid = parse_error("[\xFF]");
  CHECK(invalid.code() == Errc::invalid_utf8);
  CHECK(invalid.offset() == std::size_t{1});
  CHECK(parse_error("[1,\xED\xA0\x80]").offset() == std::size_t{3});

  const auto valid = parse_error("[\xC3\xA9]");
  CHECK(valid.code() == Errc::syntax);
  CHECK(valid.offset() == std::size_t{1});
  CHECK(parse_error("{\xC3\xA9:1}").code() == Errc::syntax);
}

// Regression test (fixed, found by tests/fuzz/fuzz_flw_response): for an invalid_utf8 error the
// pointer is rebuilt by a parse that lets lone surrogate escapes through, so a member named
// "z\ude00" before the bad byte put invalid UTF-8 in the pointer, and the JSON rendering of the
// error (then flw::to_json(Outcome), now the CLI's answer line) was invalid JSON.
TEST_CASE("The pointer of an invalid_utf8 error is valid UTF-8", "[json][hostile][surrogate]") {
  const auto error = parse_error("{\"a\":{\"z\\ude00\":{\"b\":\"\x8d\"}}}");
  CHECK(error.code() == Errc::invalid_utf8);
  CHECK(error.pointer() == "/a");
}

TEST_CASE("Lone surrogate escapes are refused", "[json][hostile][surrogate]") {
  SECTION("lone low surrogates are invalid_utf8") {
    for (std::string_view text : {R"("\udc00")"sv, R"("\udfff")"sv, R"("a\uDC00b")"sv,
                                  R"(["\udc00"])"sv, R"({"\udc00":1})"sv, R"({"a":"\udc00"})"sv}) {
      INFO("input: " << text);
      CHECK(parse_error(text).code() == Errc::invalid_utf8);
    }
  }
  SECTION("lone high surrogates and broken pairs never parse") {
    for (std::string_view text :
         {R"("\ud800")"sv, R"("\udbff")"sv, R"("\ud800\u0041")"sv, R"("\ud800x")"sv,
          R"("\ud800\ud800")"sv, R"("\udc00\ud800")"sv, R"("\ud800\n")"sv, R"({"\ud800":1})"sv}) {
      INFO("input: " << text);
      auto result = Json::parse(text);
      CHECK_FALSE(result.ok());
    }
  }
}

// Regression test (fixed): a lone high surrogate ("\ud800", "\ud800\u0041") is Errc::syntax while a
// lone low surrogate ("\udc00") is Errc::invalid_utf8. Both are valid JSON grammar (RFC 8259
// section 7 allows any \uXXXX; section 8.2 discusses unpaired surrogates) that cannot become UTF-8,
// so both should be invalid_utf8.
TEST_CASE("Lone high surrogate escapes are invalid_utf8 like lone low ones",
          "[json][hostile][surrogate]") {
  for (std::string_view text : {R"("\ud800")"sv, R"("\udbff")"sv, R"("\ud800\u0041")"sv,
                                R"("\ud800x")"sv, R"("\ud800\ud800")"sv, R"({"\ud800":1})"sv}) {
    INFO("input: " << text);
    CHECK(parse_error(text).code() == Errc::invalid_utf8);
  }
}

TEST_CASE("Raw control characters in strings are syntax errors at their byte",
          "[json][hostile][string]") {
  for (int c = 0x01; c < 0x20; ++c) {
    std::string text = "[\"ab";
    text += static_cast<char>(c);
    text += "\"]";
    INFO("control character " << c);
    const auto error = parse_error(text);
    CHECK(error.code() == Errc::syntax);
    CHECK(error.offset() == std::size_t{4});
  }
  SECTION("in a member name") {
    const auto error = parse_error("{\"a\tb\":1}");
    CHECK(error.code() == Errc::syntax);
    CHECK(error.offset() == std::size_t{3});
  }
  SECTION("DEL (0x7F) is not a control character for JSON") {
    CHECK(*parse_ok("\"a\x7F\"").get_string() == "a\x7F");
  }
}

TEST_CASE("Bad escapes are syntax errors", "[json][hostile][string]") {
  for (std::string_view text : {R"("\x")"sv, R"("\u12")"sv, R"("\uZZZZ")"sv, R"("\U0041")"sv,
                                R"("\')"sv, R"("\0")"sv, R"("\)"sv, R"("\u")"sv}) {
    INFO("input: " << text);
    const auto error = parse_error(text);
    CHECK(error.code() == Errc::syntax);
    CHECK(error.offset() == std::size_t{1});  // the backslash
  }
}

TEST_CASE("Numbers that no double holds are number_out_of_range at the number",
          "[json][hostile][number]") {
  const std::string digits400 = "1" + std::string(400, '0');
  for (const std::string& number :
       {std::string("1e400"), std::string("-1e400"), std::string("1e309"),
        std::string("1e99999999999"), std::string("-1E+400"), digits400, "-" + digits400,
        digits400 + ".5"}) {
    INFO("number: " << number);
    const auto alone = parse_error(number);
    CHECK(alone.code() == Errc::number_out_of_range);
    CHECK(alone.offset() == std::size_t{0});
    CHECK(alone.pointer().empty());
    const auto member = parse_error("{\"n\": " + number + "}");
    CHECK(member.code() == Errc::number_out_of_range);
    CHECK(member.offset() == std::size_t{6});
  }
}

// Numbers whose written exponent or digit count is large while their value is in range (0e400
// is 0; "1" and 400 zeros then "e-300" is 1e100) are read at their value and kept as written.
// (RapidJSON's number parser refused them before the decoder had its own tokenizer.)
TEST_CASE("In-range numbers with huge written exponents are read and kept as written",
          "[json][hostile][number]") {
  const std::vector<std::pair<std::string, double>> cases = {
      {"0e400", 0.0},
      {"0.0e999", 0.0},
      {"-0e400", -0.0},
      {"1" + std::string(400, '0') + "e-300", 1e100},
      {"0." + std::string(400, '0') + "1e400", 0.1}};
  for (const auto& [text, value] : cases) {
    INFO("input: " << text);
    auto result = Json::parse(text);
    REQUIRE(result.ok());
    REQUIRE(result->get_double().has_value());
    CHECK(*result->get_double() == value);
    CHECK(std::signbit(*result->get_double()) == std::signbit(value));
    CHECK(result->dump() == text);
    auto member = Json::parse("{\"n\":" + text + "}");
    REQUIRE(member.ok());
    CHECK(member->dump() == "{\"n\":" + text + "}");
  }
}

// RapidJSON's full-precision path rounds numbers just above the largest double up to infinity
// without reporting kParseErrorNumberTooBig; the decoder refuses them.
TEST_CASE("Numbers just above the largest double are number_out_of_range, not infinity",
          "[json][hostile][number]") {
  for (std::string_view text :
       {"1.8e308"sv, "-1.8e308"sv, "1.7976931348623159e308"sv, "[1.8e308]"sv,
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649"
        "017977587207096330286416692887910946555547851940402630657488671505820681908902000708383"
        "676273854845817711531764475730270069855571366959622842914819860834936475292719074168444"
        "365510704342711559699508093042880177904174497792"sv}) {
    INFO("input: " << text);
    auto result = Json::parse(text);
    CHECK_FALSE(result.ok());
    if (!result.ok()) CHECK(result.error().code() == Errc::number_out_of_range);
  }
  // The largest double and the text that rounds to it still parse.
  CHECK(parse_ok("1.7976931348623157e308").get_double() == std::numeric_limits<double>::max());
  CHECK(parse_ok("1.7976931348623158e308").get_double() == std::numeric_limits<double>::max());
}

TEST_CASE("Malformed numbers are syntax errors", "[json][hostile][number]") {
  for (std::string_view text :
       {"-"sv, "+1"sv, ".5"sv, "1."sv, "1e"sv, "1e+"sv, "0x10"sv, "Infinity"sv, "-Infinity"sv,
        "NaN"sv, "--1"sv, "1.e5"sv, "-.5"sv, "[01]"sv, "[1_000]"sv, "[1.5e]"sv}) {
    INFO("input: " << text);
    CHECK(parse_error(text).code() == Errc::syntax);
  }
}

TEST_CASE("Non-JSON syntax is refused", "[json][hostile]") {
  for (std::string_view text : {"'a'"sv,
                                "['a']"sv,
                                "/*c*/1"sv,
                                "// c\n1"sv,
                                "[1,]"sv,
                                "{\"a\":1,}"sv,
                                "[1 2]"sv,
                                "{a:1}"sv,
                                "{1:2}"sv,
                                "tru"sv,
                                "nul"sv,
                                "True"sv,
                                "NULL"sv,
                                "["sv,
                                "{"sv,
                                "]"sv,
                                "}"sv,
                                "{\"a\"}"sv,
                                "{\"a\":}"sv,
                                "{,}"sv,
                                "[,]"sv,
                                "[1,,2]"sv,
                                "{\"a\":1 \"b\":2}"sv,
                                "{\"a\" 1}"sv,
                                "\"abc"sv,
                                "[\"a\",\"b]"sv,
                                "undefined"sv,
                                "()"sv,
                                ":"sv,
                                ","sv}) {
    INFO("input: " << printable(text));
    const auto error = parse_error(text);
    CHECK(error.code() == Errc::syntax);
    REQUIRE(error.offset().has_value());
    CHECK(*error.offset() <= text.size());
  }
}

TEST_CASE("200,000 nested containers are too_deep under the default limit",
          "[json][hostile][depth]") {
  constexpr std::size_t kDepth = 200000;
  SECTION("arrays") {
    const auto error = parse_error(nested(kDepth, "[", "", "]"));
    CHECK(error.code() == Errc::too_deep);
    CHECK(error.pointer() == repeat("/0", 128));
    REQUIRE(error.offset().has_value());
    CHECK(*error.offset() >= 128);  // at or just after the 129th '['
    CHECK(*error.offset() <= 129);
  }
  SECTION("objects") {
    const auto error = parse_error(nested(kDepth, R"({"a":)", "1", "}"));
    CHECK(error.code() == Errc::too_deep);
    CHECK(error.pointer() == repeat("/a", 128));
  }
  SECTION("arrays and objects alternating") {
    const auto error = parse_error(nested(kDepth / 2, R"([{"k~/":)", "1", "}]"));
    CHECK(error.code() == Errc::too_deep);
    CHECK(error.pointer() == repeat("/0/k~0~1", 64));
  }
  SECTION("unclosed") {
    CHECK(parse_error(repeat("[", kDepth)).code() == Errc::too_deep);
    CHECK(parse_error(repeat(R"({"a":)", kDepth)).code() == Errc::too_deep);
  }
  SECTION("inside a value skipped by DuplicateKeys::first_wins") {
    ParseOptions options;
    options.duplicate_keys = chathooks::DuplicateKeys::first_wins;
    const auto error = parse_error(R"({"a":1,"a":)" + nested(kDepth, "[", "", "]") + "}", options);
    CHECK(error.code() == Errc::too_deep);
  }
}

// A raised limit costs heap, never stack: 300,000 nested arrays and 200,000 nested objects
// parse and dump. The values are torn down with json_test::dismantle, because Json's
// destructor, copy and == recurse: they overflow an 8 MiB stack at about 11,000 levels in an
// unoptimised build (7,400 under ASan).
TEST_CASE("200,000 to 300,000 nested containers parse and dump with a raised limit",
          "[json][hostile][depth]") {
  ParseOptions options;
  options.max_depth = 300000;
  options.max_values = 1000000;  // every level is a value (ParseOptions::max_values)
  struct Shape {
    std::string_view open;
    std::string_view close;
    std::size_t repeats;  // each repetition of `open` opens levels_per containers
    std::size_t levels_per;
  };
  const Shape shapes[] = {
      {"[", "]", 300000, 1},
      {R"({"a":)", "}", 200000, 1},
      {R"([{"":)", "}]", 100000, 2},
  };
  for (const auto& shape : shapes) {
    const std::string text = nested(shape.repeats, shape.open, "true", shape.close);
    INFO("shape: " << shape.open << " x " << shape.repeats);
    auto result = Json::parse(text, options);
    REQUIRE(result.ok());
    Json value = std::move(result).value();
    CHECK(value.dump() == text);

    // Walk down to the innermost value, without recursion.
    std::size_t levels = 0;
    const Json* current = &value;
    while (current != nullptr && current->size() == 1) {
      current = current->is_array() ? current->at(0) : &current->get_object()->begin()->second;
      ++levels;
    }
    CHECK(levels == shape.repeats * shape.levels_per);
    CHECK(current != nullptr);  // no REQUIRE: unwinding would destroy `value` recursively
    if (current != nullptr) CHECK(*current == Json(true));

    json_test::dismantle(value);
    CHECK(value.is_null());
  }
}

TEST_CASE("Too-large input is refused before it is looked at", "[json][hostile][limits]") {
  ParseOptions options;
  options.max_bytes = 16;
  const auto error = parse_error(std::string(17, '\xFF'), options);
  CHECK(error.code() == Errc::too_large);
  CHECK(error.pointer().empty());
  CHECK_FALSE(error.offset().has_value());
}

TEST_CASE("Random bytes never crash the parser", "[json][hostile][fuzz]") {
  std::mt19937 rng(20240602);
  const std::string_view alphabet =
      "[]{}\":,.-+0123456789eEtrufalsn \\/u\xC3\xA9\xED\xA0\xFF\x00"sv;
  std::uniform_int_distribution<std::size_t> length(0, 48);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::size_t parsed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text(length(rng), ' ');
    for (char& c : text) c = alphabet[pick(rng)];
    auto result = Json::parse(text);
    if (result) {
      ++parsed;
      INFO("input: " << printable(text));
      CHECK(parse_ok(result->dump()) == *result);
    } else {
      INFO("input: " << printable(text));
      REQUIRE(result.error().offset().has_value());
      CHECK(*result.error().offset() <= text.size());
    }
  }
  CHECK(parsed > 0);  // the alphabet does produce valid documents now and then
}

TEST_CASE("Mutated protocol examples never crash the parser", "[json][hostile][fuzz]") {
  std::mt19937 rng(8259);
  for (const auto& name : json_test::vector_files()) {
    const std::string original = json_test::read_test_data(name);
    std::uniform_int_distribution<std::size_t> where(0, original.size() - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int round = 0; round < 300; ++round) {
      std::string text = original;
      for (int flips = 1 + round % 3; flips > 0; --flips) {
        text[where(rng)] = static_cast<char>(byte(rng));
      }
      auto result = Json::parse(text);
      INFO("file " << name << ", round " << round);
      if (result) {
        CHECK(parse_ok(result->dump()) == *result);
      } else {
        REQUIRE(result.error().offset().has_value());
        CHECK(*result.error().offset() <= text.size());
      }
    }
  }
}

// Regression test (found by tests/fuzz under clang's UBSan): RapidJSON 1.1's full-precision
// conversion normalises a zero significand (undefined behaviour), so a zero written with an
// exponent or with more than 22 decimals was read as another number: "0e40" as 2.4e21, "0." and
// 24 zeros as 1.8e-43. The decoder now converts numbers itself (RawNumber); the sanitizer builds
// run this test, so the undefined behaviour itself is caught too.
TEST_CASE("Numbers whose digits are all zero are zero, whatever their exponent",
          "[json][hostile][number]") {
  const std::string many_zeros = "0." + std::string(24, '0');
  for (const std::string& text :
       {std::string("0e40"), std::string("0E+40"), std::string("0e-40"), std::string("0.0e23"),
        std::string("0.000e300"), many_zeros, many_zeros + "e5", "0." + std::string(60, '0')}) {
    INFO("input: " << text);
    for (const std::string& sign : {std::string(), std::string("-")}) {
      const Json value = parse_ok("[" + sign + text + "]");
      const auto d = value.at(0)->get_double();
      REQUIRE(d.has_value());
      CHECK(*d == 0.0);
      CHECK(std::signbit(*d) == !sign.empty());
      CHECK(parse_ok("{\"n\":" + sign + text + "}") == parse_ok("{\"n\":0}"));
    }
  }
  // Non-zero digits anywhere before the exponent still count.
  CHECK(*parse_ok("[0." + std::string(23, '0') + "1]").at(0)->get_double() == 1e-24);
  CHECK(*parse_ok("[1.000000000000000000000001]").at(0)->get_double() == 1.0);
  CHECK(
      *parse_ok("[0.000000000000000000000000000000000000000000000000001e50]").at(0)->get_double() ==
      0.1);
}

TEST_CASE("Numbers are converted exactly: 64-bit integers and correctly rounded doubles",
          "[json][number]") {
  CHECK(parse_ok("[9223372036854775807]").at(0)->get_int64() == INT64_MAX);
  CHECK(parse_ok("[-9223372036854775808]").at(0)->get_int64() == INT64_MIN);
  CHECK(parse_ok("[18446744073709551615]").at(0)->get_uint64() == UINT64_MAX);
  CHECK(parse_ok("[-0]").at(0)->get_int64() == 0);
  // Past 64 bits an integer is the nearest double.
  CHECK(*parse_ok("[18446744073709551616]").at(0)->get_double() == 18446744073709551616.0);
  CHECK(*parse_ok("[-9223372036854775809]").at(0)->get_double() == -9223372036854775808.0);
  // Shortest round-trip forms read back to the same bits; halfway cases round to even.
  CHECK(*parse_ok("[0.1]").at(0)->get_double() == 0.1);
  CHECK(*parse_ok("[2.2250738585072014e-308]").at(0)->get_double() == 2.2250738585072014e-308);
  CHECK(*parse_ok("[4.9e-324]").at(0)->get_double() == 4.9e-324);  // the smallest subnormal
  CHECK(*parse_ok("[1.7976931348623157e308]").at(0)->get_double() == 1.7976931348623157e308);
  CHECK(*parse_ok("[9007199254740993]").at(0)->get_int64() == 9007199254740993);
  CHECK(*parse_ok("[9007199254740993.0]").at(0)->get_double() == 9007199254740992.0);
  CHECK(*parse_ok("[1e-400]").at(0)->get_double() == 0.0);  // underflow is zero
  CHECK(Json::parse("[1.8e308]").error().code() == Errc::number_out_of_range);
  CHECK(Json::parse("[-1e309]").error().code() == Errc::number_out_of_range);
}
