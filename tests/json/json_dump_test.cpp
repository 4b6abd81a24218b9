// Unit tests for Json::dump: the exact compact and pretty forms, string escaping (NUL and
// control characters), number formatting (integers, doubles that round-trip exactly,
// non-finite doubles as null), member order, and parse(dump(x)) == x round trips.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "json_test_util.hpp"

using chathooks::Json;
using json_test::parse_ok;
using namespace std::string_view_literals;

namespace {

// A value built in code with every type, nesting and awkward strings.
Json sample() {
  Json v;
  v["null"] = nullptr;
  v["t"] = true;
  v["f"] = false;
  v["int"] = -42;
  v["big"] = std::numeric_limits<std::uint64_t>::max();
  v["min"] = std::numeric_limits<std::int64_t>::min();
  v["pi"] = 3.141592653589793;
  v["s"] = "quote\" backslash\\ slash/ nl\n tab\t nul\0 bell\x07 e\xC3\xA9 \xF0\x9F\x98\x80"sv;
  v["arr"].push_back(1);
  v["arr"].push_back(Json::array());
  v["arr"].push_back(Json::object());
  v["arr"].push_back("x");
  v["obj"]["z"] = 1;
  v["obj"]["a"]["deep"].push_back(nullptr);
  v["\0key\x01"sv] = "nul and control in a name";
  return v;
}

}  // namespace

TEST_CASE("Compact dump of scalars", "[json][dump]") {
  CHECK(Json().dump() == "null");
  CHECK(Json(nullptr).dump() == "null");
  CHECK(Json(true).dump() == "true");
  CHECK(Json(false).dump() == "false");
  CHECK(Json(0).dump() == "0");
  CHECK(Json(-1).dump() == "-1");
  CHECK(Json(std::numeric_limits<std::int64_t>::min()).dump() == "-9223372036854775808");
  CHECK(Json(std::numeric_limits<std::int64_t>::max()).dump() == "9223372036854775807");
  CHECK(Json(std::numeric_limits<std::uint64_t>::max()).dump() == "18446744073709551615");
  CHECK(Json("").dump() == R"("")");
  CHECK(Json("abc").dump() == R"("abc")");
  CHECK(Json::array().dump() == "[]");
  CHECK(Json::object().dump() == "{}");
}

TEST_CASE("Doubles dump in a form that parses back to the same double", "[json][dump][number]") {
  CHECK(Json(0.1).dump() == "0.1");
  CHECK(Json(100.0).dump() == "100.0");
  CHECK(Json(1.5).dump() == "1.5");
  CHECK(Json(-0.0).dump() == "-0.0");
  CHECK(Json(1e300).dump() == "1e300");
  CHECK(Json(5e-324).dump() == "5e-324");

  SECTION("selected doubles") {
    for (double d :
         {0.0, -0.0, 0.1, 0.2, 0.30000000000000004, 1.0 / 3.0, 2.0 / 3.0, 1e21, 1e22, 1e23,
          123456789.125, 9007199254740993.0, 18446744073709551616.0, -9223372036854775808.0,
          std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
          std::numeric_limits<double>::min(), std::numeric_limits<double>::denorm_min(),
          std::numeric_limits<double>::epsilon()}) {
      const std::string text = Json(d).dump();
      INFO("double " << d << " dumped as " << text);
      const Json back = parse_ok(text);
      REQUIRE(back.is_number());
      const double parsed = *back.get_double();
      CHECK(std::memcmp(&parsed, &d, sizeof d) == 0);
    }
  }
  SECTION("10,000 random finite doubles") {
    std::mt19937_64 rng(6901);
    int checked = 0;
    while (checked < 10000) {
      const std::uint64_t bits = rng();
      double d;
      std::memcpy(&d, &bits, sizeof d);
      if (!std::isfinite(d)) continue;
      ++checked;
      const std::string text = Json(d).dump();
      auto back = Json::parse(text);
      INFO("bits " << bits << " dumped as " << text);
      REQUIRE(back.ok());
      REQUIRE(back->is_double());
      const double parsed = *back->get_double();
      REQUIRE(std::memcmp(&parsed, &d, sizeof d) == 0);
    }
  }
}

TEST_CASE("Non-finite doubles dump as null", "[json][dump][number]") {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(Json(inf).dump() == "null");
  CHECK(Json(-inf).dump() == "null");
  CHECK(Json(nan).dump() == "null");

  Json v;
  v["a"] = nan;
  v["b"].push_back(inf);
  v["b"].push_back(1);
  v["b"].push_back(-inf);
  v["c"] = 2;
  CHECK(v.dump() == R"({"a":null,"b":[null,1,null],"c":2})");
  CHECK(v.dump(1) == "{\n \"a\": null,\n \"b\": [\n  null,\n  1,\n  null\n ],\n \"c\": 2\n}");
  CHECK(parse_ok(v.dump()).find("a")->is_null());
}

TEST_CASE("Strings are escaped as JSON requires", "[json][dump][string]") {
  CHECK(Json("a\"b").dump() == R"("a\"b")");
  CHECK(Json("a\\b").dump() == R"("a\\b")");
  CHECK(Json("\n\r\t\b\f").dump() == R"("\n\r\t\b\f")");
  CHECK(Json("\x01\x1f").dump() == R"("\u0001\u001F")");
  CHECK(Json("a/b").dump() == R"("a/b")");
  CHECK(Json("\x7F").dump() == "\"\x7F\"");

  SECTION("NUL is kept and written as \\u0000") {
    const Json v("a\0b"sv);
    CHECK(v.get_string()->size() == 3);
    CHECK(v.dump() == R"("a\u0000b")");
    CHECK(parse_ok(v.dump()) == v);
    CHECK(Json("\0"sv).dump() == R"("\u0000")");
  }
  SECTION("non-ASCII UTF-8 is written as UTF-8, not escaped") {
    CHECK(Json("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80").dump() ==
          "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"");
    CHECK(parse_ok(R"("\u00e9\ud83d\ude00")").dump() == "\"\xC3\xA9\xF0\x9F\x98\x80\"");
  }
  SECTION("member names are escaped the same way") {
    Json v;
    v["a\"b\0c\n"sv] = 1;
    CHECK(v.dump() == R"({"a\"b\u0000c\n":1})");
  }
}

TEST_CASE("Members are dumped in their order", "[json][dump][object]") {
  CHECK(parse_ok(R"({"z":1,"a":2,"m":{"y":1,"b":2},"b":[3,2,1]})").dump() ==
        R"({"z":1,"a":2,"m":{"y":1,"b":2},"b":[3,2,1]})");
  Json v;
  v["second"] = 2;
  v["first"] = 1;
  v["second"] = 3;  // assignment keeps the position
  CHECK(v.dump() == R"({"second":3,"first":1})");
}

TEST_CASE("Pretty dump", "[json][dump][pretty]") {
  const Json v = parse_ok(R"({"a":1,"b":[true,null,"x"],"c":{},"d":[],"e":{"f":[{}]}})");
  SECTION("indent 2") {
    CHECK(v.dump(2) ==
          "{\n"
          "  \"a\": 1,\n"
          "  \"b\": [\n"
          "    true,\n"
          "    null,\n"
          "    \"x\"\n"
          "  ],\n"
          "  \"c\": {},\n"
          "  \"d\": [],\n"
          "  \"e\": {\n"
          "    \"f\": [\n"
          "      {}\n"
          "    ]\n"
          "  }\n"
          "}");
  }
  SECTION("indent 4") {
    CHECK(parse_ok(R"({"a":[1]})").dump(4) == "{\n    \"a\": [\n        1\n    ]\n}");
  }
  SECTION("indent 0 still breaks lines") {
    CHECK(parse_ok(R"({"a":[1,2]})").dump(0) == "{\n\"a\": [\n1,\n2\n]\n}");
  }
  SECTION("scalars and empty containers are the same as compact") {
    CHECK(Json(1).dump(2) == "1");
    CHECK(Json("s").dump(2) == R"("s")");
    CHECK(Json::array().dump(2) == "[]");
    CHECK(Json::object().dump(2) == "{}");
  }
  SECTION("pretty output parses back to the same value") {
    CHECK(parse_ok(v.dump(2)) == v);
    CHECK(parse_ok(v.dump(2)).dump() == v.dump());
  }
}

TEST_CASE("parse(dump(x)) == x", "[json][dump][roundtrip]") {
  SECTION("a value built in code") {
    const Json v = sample();
    const Json back = parse_ok(v.dump());
    CHECK(back == v);
    CHECK(back.dump() == v.dump());
    CHECK(parse_ok(v.dump(2)) == v);
    CHECK(back.find("big")->is_uint64());
    CHECK(back.find("min")->is_int64());
    CHECK(back.find("pi")->is_double());
    CHECK(back.find("s")->get_string()->size() == v.find("s")->get_string()->size());
  }
  SECTION("the protocol examples: text, value and order survive") {
    for (const auto& name : json_test::vector_files()) {
      INFO("file: " << name);
      const Json v = parse_ok(json_test::read_test_data(name));
      const std::string compact = v.dump();
      const Json back = parse_ok(compact);
      CHECK(back == v);
      CHECK(back.dump() == compact);  // stable: same members in the same order
      CHECK(parse_ok(v.dump(2)).dump() == compact);
      CHECK(parse_ok(v.dump(4)) == v);
    }
  }
  SECTION("documents whose compact form is known") {
    for (std::string_view text :
         {"null"sv, "[]"sv, "{}"sv, R"([1,-1,1.5,"a",true,false,null])"sv,
          R"({"a":{"b":{"c":[[],[{}]]}}})"sv, R"(["\u0000","\u001F","\"\\"])"sv,
          "18446744073709551615"sv, "-9223372036854775808"sv, "1e300"sv, "-0.0"sv}) {
      INFO("text: " << text);
      CHECK(parse_ok(text).dump() == std::string(text));
    }
  }
}

TEST_CASE("dump is not disturbed by a previous large dump", "[json][dump]") {
  // dump() reuses a per-thread buffer; a big document must not leak into the next one.
  const Json big(std::string(3 * 1024 * 1024, 'x'));
  CHECK(big.dump().size() == 3 * 1024 * 1024 + 2);
  CHECK(Json(1).dump() == "1");
  CHECK(Json::array().dump() == "[]");
}
