// Unit tests for where Json::parse errors point: the byte offset of syntax errors (also in the
// message, as error.hpp promises), and the RFC 6901 pointer of the member at fault for
// syntax, encoding, range, depth and duplicate errors in nested documents.
#include <cstddef>
#include <string>
#include <string_view>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "json_test_util.hpp"

using chathooks::Errc;
using chathooks::ParseOptions;
using json_test::parse_error;
using json_test::printable;
using namespace std::string_view_literals;

namespace {

struct Case {
  std::string_view text;
  Errc code;
  std::string_view pointer;
  std::size_t offset;
};

void check_cases(const Case* begin, const Case* end, const ParseOptions& options = {}) {
  for (const Case* c = begin; c != end; ++c) {
    INFO("input: " << printable(c->text));
    const auto error = parse_error(c->text, options);
    CHECK(error.code() == c->code);
    CHECK(error.pointer() == std::string(c->pointer));
    CHECK(error.offset() == c->offset);
  }
}

}  // namespace

TEST_CASE("Syntax errors carry the byte offset, in the error and its message",
          "[json][error][offset]") {
  struct Syntax {
    std::string_view text;
    std::size_t offset;
  };
  const Syntax cases[] = {
      {"[1,2,]", 5},                                    // the ']' where a value must be
      {"{\"a\" 1}", 5},                                 // the '1' where ':' must be
      {"[1 2]", 3},                                     // the '2' where ',' must be
      {"trux", 3},                                      // the 'x'
      {"\"abc", 4},                                     // the end, where '"' must be
      {"[\"x\",{\"y\":[1,2,3,{\"z\":\"\\q\"}]}]", 23},  // the bad escape's backslash
      {"{\"a\":{\"b\":1}", 12},                         // the end, where '}' must be
      {"[[1,2],[3", 9},                                 // the end
      {"[1,\0 2]"sv, 3},                                // the NUL
  };
  for (const auto& c : cases) {
    INFO("input: " << printable(c.text));
    const auto error = parse_error(c.text);
    CHECK(error.code() == Errc::syntax);
    REQUIRE(error.offset().has_value());
    CHECK(*error.offset() == c.offset);
    const std::string byte = "byte " + std::to_string(c.offset);
    CHECK(error.message().find(byte) != std::string::npos);
  }
}

TEST_CASE("Errors found by the decoder name the member at fault", "[json][error][pointer]") {
  SECTION("a lone surrogate escape") {
    const auto error = parse_error(R"({"a":[{"b":"\udc00"}]})");
    CHECK(error.code() == Errc::invalid_utf8);
    CHECK(error.pointer() == "/a/0/b");
  }
  SECTION("a duplicate name, with ~ and / escaped in the pointer") {
    const auto error = parse_error(R"({"a":{"b":[0,1,{"c~/":[0,{"x":1,"x":2}]}]}})");
    CHECK(error.code() == Errc::duplicate_key);
    CHECK(error.pointer() == "/a/b/2/c~0~1/1/x");
    CHECK(error.to_string() == "/a/b/2/c~0~1/1/x: " + error.message());
  }
  SECTION("a container past max_depth") {
    ParseOptions options;
    options.max_depth = 4;
    const auto error = parse_error(R"({"a":[{"b":[[]]}]})", options);
    CHECK(error.code() == Errc::too_deep);
    CHECK(error.pointer() == "/a/0/b/0");
  }
  SECTION("in containers after the first element") {
    const auto error = parse_error(R"([{},{"a":[{},{"b":"\udc00"}]}])");
    CHECK(error.pointer() == "/1/a/1/b");
    CHECK(parse_error(R"([[],[[],{"a":1,"a":2}]])").pointer() == "/1/1/a");
  }
}

// Regression test (fixed): errors that RapidJSON reports
// (syntax, number_out_of_range) have an empty pointer, because run() swaps the frame stack
// back into its thread-local scratch before calling pointer() on the error path.
TEST_CASE("Syntax and range errors name the member at fault", "[json][error][pointer]") {
  const Case cases[] = {
      {"{\"a\":[tru]}", Errc::syntax, "/a/0", 9},
      {"{\"a~b/c\":nul}", Errc::syntax, "/a~0b~1c", 12},
      {"[\"x\",{\"y\":[1,2,3,{\"z\":\"\\q\"}]}]", Errc::syntax, "/1/y/3/z", 23},
      {"{\"a\":{\"b\":1e400}}", Errc::number_out_of_range, "/a/b", 10},
      {"{\"a\":[1e400]}", Errc::number_out_of_range, "/a/0", 6},
      {"{\"n\": 1e400}", Errc::number_out_of_range, "/n", 6},
  };
  check_cases(std::begin(cases), std::end(cases));
}

// Regression test (fixed): invalid UTF-8 is now found by a scan of the whole input before parsing,
// which gives the offset but no pointer, although the bad bytes are in a member's string.
TEST_CASE("Invalid UTF-8 in a string names the member", "[json][error][pointer]") {
  const Case cases[] = {
      {"{\"a\":{\"b\":\"\xFF\"}}", Errc::invalid_utf8, "/a/b", 11},
      {"{\"a\":[{\"b\":\"x\xC0\x80\"}]}", Errc::invalid_utf8, "/a/0/b", 13},
  };
  check_cases(std::begin(cases), std::end(cases));
}

// Regression test (fixed): an error found before an array element is stored (a bad scalar, a bad
// string, a number out of range, or a container past max_depth) is reported at the previous
// element: Decoder::pointer() writes `count - 1` for every array frame, and `count` only grows when
// the element is appended. `[0,"\udc00"]` says "/0" where the bad string is "/1".
TEST_CASE("Errors in array elements after the first point at that element",
          "[json][error][pointer]") {
  const Case cases[] = {
      {"[0,\"\\udc00\"]", Errc::invalid_utf8, "/1", 11},
      {"[0,\"\xFF\"]", Errc::invalid_utf8, "/1", 4},
      {"{\"a\":[1,2,tru]}", Errc::syntax, "/a/2", 13},
      {"{\"a\":{\"b\":[true,fals]}}", Errc::syntax, "/a/b/1", 20},
      {"[1, 1e400]", Errc::number_out_of_range, "/1", 4},
  };
  check_cases(std::begin(cases), std::end(cases));

  ParseOptions options;
  options.max_depth = 1;
  const Case deep[] = {
      {"[1,[2]]", Errc::too_deep, "/1", 4},
      {"[[1],[2]]", Errc::too_deep, "/0", 2},  // correct today: the first element
  };
  for (const auto& c : deep) {
    INFO("input: " << c.text);
    const auto error = parse_error(c.text, options);
    CHECK(error.code() == c.code);
    CHECK(error.pointer() == std::string(c.pointer));
  }
}

// Regression test (fixed): an error in a member name (or where a name is expected) is reported at
// the previous member, or at "/" (the member named "") when there is none: the object frame's key
// is only set once a name is accepted. There is no member to name; the pointer should be the
// object's.
TEST_CASE("Errors in member names point at the object", "[json][error][pointer]") {
  const Case cases[] = {
      {"{\"a\":1,\"\\udc00\":2}", Errc::invalid_utf8, "", 15},
      {"{\"\\udc00\":1}", Errc::invalid_utf8, "", 9},
      {"{\"x\":{\"a\":1,\"\\udc00\":2}}", Errc::invalid_utf8, "/x", 20},
      {"{\"x\":{\"a\":1,}}", Errc::syntax, "/x", 12},
  };
  check_cases(std::begin(cases), std::end(cases));
}

TEST_CASE("Errors with no member at fault have an empty pointer", "[json][error][pointer]") {
  CHECK(parse_error("").pointer().empty());
  CHECK(parse_error("[1] x").pointer().empty());
  CHECK(parse_error("\"\xFF\"").pointer().empty());
  CHECK(parse_error("1e400").pointer().empty());
  ParseOptions options;
  options.max_depth = 0;
  CHECK(parse_error("[]", options).pointer().empty());
  options.max_bytes = 1;
  CHECK(parse_error("[1]", options).pointer().empty());
}
