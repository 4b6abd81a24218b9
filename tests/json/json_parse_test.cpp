// Unit tests for Json::parse on valid input: every JSON type, the number representations
// (int64, uint64, double, and where each boundary falls), strings with escapes, NUL and
// surrogate pairs, the BOM option, the size and depth limits at their boundaries, and the
// protocol examples in tests/data (parsing from several threads: json_thread_test.cpp).
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "json_test_util.hpp"

using chathooks::Errc;
using chathooks::Json;
using chathooks::ParseOptions;
using json_test::parse_error;
using json_test::parse_ok;
using namespace std::string_view_literals;

TEST_CASE("Scalars parse to their types", "[json][parse]") {
  CHECK(parse_ok("null").is_null());
  CHECK(parse_ok("true").get_bool() != nullptr);
  CHECK(*parse_ok("true").get_bool());
  CHECK_FALSE(*parse_ok("false").get_bool());
  CHECK(parse_ok("0").is_int64());
  CHECK(parse_ok("\"\"").is_string());
  CHECK(parse_ok("[]").is_array());
  CHECK(parse_ok("{}").is_object());
  CHECK(parse_ok("[]").size() == 0);
  CHECK(parse_ok("{}").size() == 0);
}

TEST_CASE("Whitespace around and between tokens is allowed", "[json][parse]") {
  const Json value = parse_ok(" \t\r\n{ \"a\" : [ 1 , 2 ] , \"b\" :\nnull }\n\t ");
  REQUIRE(value.is_object());
  CHECK(value.size() == 2);
  CHECK(value.find("a")->size() == 2);
  CHECK(value.find("b")->is_null());
}

TEST_CASE("Integers keep their exact value and one representation", "[json][parse][number]") {
  SECTION("small integers are int64") {
    const Json v = parse_ok("42");
    CHECK(v.is_int64());
    CHECK(v.get_int64() == 42);
    CHECK(parse_ok("-7").get_int64() == -7);
  }
  SECTION("-0 is the integer 0") {
    const Json v = parse_ok("-0");
    CHECK(v.is_integer());
    CHECK(v.get_int64() == 0);
    CHECK(v == Json(0));
  }
  SECTION("INT64_MAX is int64") {
    const Json v = parse_ok("9223372036854775807");
    CHECK(v.is_int64());
    CHECK(v.get_int64() == std::numeric_limits<std::int64_t>::max());
  }
  SECTION("2^63 is uint64") {
    const Json v = parse_ok("9223372036854775808");
    CHECK(v.is_uint64());
    CHECK(v.get_uint64() == std::uint64_t{9223372036854775808u});
    CHECK_FALSE(v.get_int64().has_value());
  }
  SECTION("2^64-1 is uint64, exact") {
    const Json v = parse_ok("18446744073709551615");
    CHECK(v.is_uint64());
    CHECK(v.get_uint64() == std::numeric_limits<std::uint64_t>::max());
    CHECK(v.dump() == "18446744073709551615");
  }
  SECTION("-2^63 is int64, exact") {
    const Json v = parse_ok("-9223372036854775808");
    CHECK(v.is_int64());
    CHECK(v.get_int64() == std::numeric_limits<std::int64_t>::min());
    CHECK(v.dump() == "-9223372036854775808");
  }
}

TEST_CASE("Integers beyond 64 bits become the nearest double", "[json][parse][number]") {
  SECTION("2^64") {
    const Json v = parse_ok("18446744073709551616");
    CHECK(v.is_double());
    CHECK(v.get_double() == 18446744073709551616.0);
    CHECK_FALSE(v.get_uint64().has_value());
  }
  SECTION("-2^63-1") {
    const Json v = parse_ok("-9223372036854775809");
    CHECK(v.is_double());
    CHECK(v.get_double() == -9223372036854775808.0);
    CHECK_FALSE(v.get_int64().has_value());
  }
  SECTION("a 30-digit integer") {
    const Json v = parse_ok("123456789012345678901234567890");
    CHECK(v.is_double());
    CHECK(v.get_double() == 123456789012345678901234567890.0);
  }
}

TEST_CASE("Numbers with a fraction or exponent are doubles", "[json][parse][number]") {
  CHECK(parse_ok("0.1").get_double() == 0.1);
  CHECK(parse_ok("0.1").is_double());
  CHECK(parse_ok("1E2").is_double());
  CHECK(parse_ok("1E2").get_double() == 100.0);
  CHECK(parse_ok("1e2").get_double() == 100.0);
  CHECK(parse_ok("1e+2").get_double() == 100.0);
  CHECK(parse_ok("12.5e-1").get_double() == 1.25);
  CHECK(parse_ok("1.0").is_double());
  CHECK(parse_ok("-2.5").get_double() == -2.5);

  SECTION("-0.0 keeps its sign") {
    const Json v = parse_ok("-0.0");
    REQUIRE(v.is_double());
    CHECK(std::signbit(*v.get_double()));
    CHECK(v.dump() == "-0.0");
  }
  SECTION("the largest and smallest doubles") {
    CHECK(parse_ok("1.7976931348623157e308").get_double() == std::numeric_limits<double>::max());
    CHECK(parse_ok("2.2250738585072014e-308").get_double() == std::numeric_limits<double>::min());
    CHECK(parse_ok("4.9406564584124654e-324").get_double() ==
          std::numeric_limits<double>::denorm_min());
    CHECK(parse_ok("1e308").get_double() == 1e308);
    CHECK(parse_ok("-1e308").get_double() == -1e308);
  }
  SECTION("underflow rounds to zero") {
    CHECK(parse_ok("1e-400").get_double() == 0.0);
    CHECK(parse_ok("1e-99999999999").get_double() == 0.0);
    CHECK(parse_ok("-1e-400").get_double() == 0.0);
  }
  SECTION("decimal text is converted exactly (full precision)") {
    // Halfway cases and long significands, which a conversion that is not exact rounds to the
    // wrong neighbour.
    CHECK(parse_ok("2.2250738585072011e-308").get_double() == 2.2250738585072011e-308);
    CHECK(parse_ok("0.30000000000000004").get_double() == 0.30000000000000004);
    CHECK(parse_ok("9007199254740993").get_int64() == 9007199254740993);
    CHECK(parse_ok("9007199254740993.0").get_double() == 9007199254740992.0);
    CHECK(parse_ok("1.00000000000000011102230246251565404236316680908203125").get_double() == 1.0);
    CHECK(parse_ok("1.00000000000000011102230246251565404236316680908203126").get_double() ==
          1.0000000000000002);
  }
  SECTION("many digits in the fraction") {
    const std::string text = "0." + std::string(400, '0') + "1e300";
    CHECK(parse_ok(text).get_double() == 1e-101);
  }
}

TEST_CASE("Strings decode escapes into UTF-8", "[json][parse][string]") {
  CHECK(*parse_ok(R"("a\"b\\c\/d\b\f\n\r\t")").get_string() == "a\"b\\c/d\b\f\n\r\t");
  CHECK(*parse_ok(R"("\u00e9\u00E9")").get_string() == "\xC3\xA9\xC3\xA9");
  CHECK(*parse_ok(R"("\u20ac")").get_string() == "\xE2\x82\xAC");
  CHECK(*parse_ok("\"\xE2\x82\xAC\"").get_string() == "\xE2\x82\xAC");
  CHECK(*parse_ok("\"\xF0\x9F\x98\x80\"").get_string() == "\xF0\x9F\x98\x80");

  SECTION("valid surrogate pairs become one four-byte character") {
    CHECK(*parse_ok(R"("\ud83d\ude00")").get_string() == "\xF0\x9F\x98\x80");
    CHECK(*parse_ok(R"("\uD83D\uDE00")").get_string() == "\xF0\x9F\x98\x80");
    CHECK(*parse_ok(R"("\ud800\udc00")").get_string() == "\xF0\x90\x80\x80");      // U+10000
    CHECK(*parse_ok(R"("\udbff\udfff")").get_string() == "\xF4\x8F\xBF\xBF");      // U+10FFFF
    CHECK(*parse_ok(R"("x\ud834\udd1ey")").get_string() == "x\xF0\x9D\x84\x9Ey");  // U+1D11E
  }
  SECTION("the largest BMP and non-BMP characters as raw UTF-8") {
    CHECK(*parse_ok("\"\xEF\xBF\xBF\"").get_string() == "\xEF\xBF\xBF");          // U+FFFF
    CHECK(*parse_ok("\"\xF4\x8F\xBF\xBF\"").get_string() == "\xF4\x8F\xBF\xBF");  // U+10FFFF
    CHECK(*parse_ok("\"\xED\x9F\xBF\"").get_string() == "\xED\x9F\xBF");          // U+D7FF
    CHECK(*parse_ok("\"\xEE\x80\x80\"").get_string() == "\xEE\x80\x80");          // U+E000
  }
}

TEST_CASE("NUL inside strings and member names is kept", "[json][parse][string]") {
  SECTION("in a string") {
    const Json v = parse_ok(R"(["a\u0000b"])");
    REQUIRE(v.at(0) != nullptr);
    const std::string* s = v.at(0)->get_string();
    REQUIRE(s != nullptr);
    CHECK(s->size() == 3);
    CHECK(*s == std::string("a\0b", 3));
    CHECK(v.dump() == R"(["a\u0000b"])");
  }
  SECTION("a string of NULs only") {
    const Json v = parse_ok(R"("\u0000\u0000")");
    CHECK(*v.get_string() == std::string(2, '\0'));
  }
  SECTION("in a member name") {
    const Json v = parse_ok(R"({"a\u0000b":1,"a":2,"a\u0000":3})");
    REQUIRE(v.size() == 3);
    REQUIRE(v.find("a\0b"sv) != nullptr);
    CHECK(v.find("a\0b"sv)->get_int64() == 1);
    CHECK(v.find("a")->get_int64() == 2);
    CHECK(v.find("a\0"sv)->get_int64() == 3);
    CHECK(v.find("a\0c"sv) == nullptr);
    CHECK(v.dump() == R"({"a\u0000b":1,"a":2,"a\u0000":3})");
  }
}

TEST_CASE("Member order is kept as written", "[json][parse][object]") {
  const Json v = parse_ok(R"({"z":1,"a":2,"m":3,"b":4})");
  const auto* object = v.get_object();
  REQUIRE(object != nullptr);
  std::string keys;
  for (const auto& member : *object) keys += member.first;
  CHECK(keys == "zamb");
}

TEST_CASE("A UTF-8 byte order mark is skipped by default", "[json][parse][bom]") {
  const std::string bom = "\xEF\xBB\xBF";
  CHECK(parse_ok(bom + R"({"a":1})") == parse_ok(R"({"a":1})"));
  CHECK(parse_ok(bom + "  [1]  ") == parse_ok("[1]"));

  SECTION("offsets still count the BOM's bytes") {
    const auto error = parse_error(bom + "[1,]");
    CHECK(error.code() == Errc::syntax);
    CHECK(error.offset() == std::size_t{6});
  }
  SECTION("only one BOM is skipped") {
    const auto error = parse_error(bom + bom + "1");
    CHECK(error.code() == Errc::syntax);
    CHECK(error.offset() == std::size_t{3});
  }
  SECTION("a BOM alone is an empty document") {
    const auto error = parse_error(bom);
    CHECK(error.code() == Errc::syntax);
    CHECK(error.offset() == std::size_t{3});
  }
  SECTION("a partial BOM is invalid UTF-8") {
    CHECK(parse_error("\xEF\xBB[1]").code() == Errc::invalid_utf8);
    CHECK(parse_error("\xEF\xBB[1]").offset() == std::size_t{0});
    CHECK(parse_error("\xEF[1]").code() == Errc::invalid_utf8);
  }
}

TEST_CASE("allow_bom = false makes a BOM a syntax error", "[json][parse][bom]") {
  ParseOptions options;
  options.allow_bom = false;
  const auto error = parse_error("\xEF\xBB\xBF[1]", options);
  CHECK(error.code() == Errc::syntax);
  CHECK(error.offset() == std::size_t{0});
  CHECK(error.pointer().empty());
  CHECK(parse_ok("[1]", options) == parse_ok("[1]"));
}

TEST_CASE("max_bytes refuses larger inputs and accepts its own size", "[json][parse][limits]") {
  ParseOptions options;
  options.max_bytes = 7;
  CHECK(parse_ok("[1,2,3]", options).size() == 3);  // exactly 7 bytes
  const auto error = parse_error("[1,2,34]", options);
  CHECK(error.code() == Errc::too_large);
  CHECK(error.pointer().empty());

  SECTION("the BOM counts") {
    CHECK(parse_error("\xEF\xBB\xBF[1,2]", options).code() == Errc::too_large);
  }
  SECTION("trailing whitespace counts") {
    CHECK(parse_error("[1,2,3] ", options).code() == Errc::too_large);
  }
  SECTION("max_bytes = 0 accepts only the empty input, which is a syntax error") {
    options.max_bytes = 0;
    CHECK(parse_error("1", options).code() == Errc::too_large);
    CHECK(parse_error("", options).code() == Errc::syntax);
  }
  SECTION("the default is 16 MiB") {
    CHECK(ParseOptions{}.max_bytes == std::size_t{16} * 1024 * 1024);
    std::string big = "\"" + std::string(16 * 1024 * 1024 - 2, 'x') + "\"";
    CHECK(parse_ok(big).get_string()->size() == big.size() - 2);
    big.insert(0, " ");
    CHECK(parse_error(big).code() == Errc::too_large);
  }
}

TEST_CASE("max_depth allows exactly its number of nested containers", "[json][parse][limits]") {
  CHECK(ParseOptions{}.max_depth == 128);

  SECTION("the default: 128 levels parse, 129 do not") {
    CHECK(parse_ok(json_test::nested(128, "[", "1", "]")).is_array());
    CHECK(parse_error(json_test::nested(129, "[", "1", "]")).code() == Errc::too_deep);
    CHECK(parse_ok(json_test::nested(128, "{\"k\":", "1", "}")).is_object());
    CHECK(parse_error(json_test::nested(129, "{\"k\":", "1", "}")).code() == Errc::too_deep);
  }
  SECTION("max_depth = 0 allows scalars only") {
    ParseOptions options;
    options.max_depth = 0;
    CHECK(parse_ok("1", options) == Json(1));
    CHECK(parse_ok("\"s\"", options) == Json("s"));
    CHECK(parse_error("[]", options).code() == Errc::too_deep);
    CHECK(parse_error("{}", options).code() == Errc::too_deep);
  }
  SECTION("max_depth = 1 allows one level") {
    ParseOptions options;
    options.max_depth = 1;
    CHECK(parse_ok("[1,2,\"x\",null]", options).size() == 4);
    CHECK(parse_ok(R"({"a":1,"b":true})", options).size() == 2);
    CHECK(parse_error("[[]]", options).code() == Errc::too_deep);
    CHECK(parse_error(R"({"a":{}})", options).code() == Errc::too_deep);
  }
  SECTION("depth counts nesting, not the number of containers") {
    ParseOptions options;
    options.max_depth = 2;
    CHECK(parse_ok(R"([[1],[2],{"a":1},{},[]])", options).size() == 5);
    CHECK(parse_error("[[1],[[2]]]", options).code() == Errc::too_deep);
    CHECK(parse_error(R"({"a":[],"b":{"c":{}}})", options).code() == Errc::too_deep);
  }
}

TEST_CASE("The protocol examples parse", "[json][parse][vectors]") {
  for (const auto& name : json_test::vector_files()) {
    INFO("file: " << name);
    const std::string text = json_test::read_test_data(name);
    const Json value = parse_ok(text);
    CHECK(value.is_object());
    CHECK(value.size() > 0);
  }
}
