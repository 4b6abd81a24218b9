// ParseOptions::max_values in Json::parse: what counts as a value (every scalar, array and
// object once, the root included; member names do not), the boundary (max_values values
// accepted, one more refused with Errc::too_large at the JSON Pointer of the first value past
// the limit), the default of 100,000, and how the limit meets the duplicate-member policies,
// the other limits, syntax errors and the location of invalid UTF-8.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "json_test_util.hpp"

using namespace json_test;

namespace {

constexpr std::size_t kDefault = 100000;

ParseOptions limit(std::size_t max_values, DuplicateKeys policy = DuplicateKeys::reject) {
  ParseOptions options = with(policy);
  options.max_values = max_values;
  return options;
}

std::string limit_message(std::size_t max_values) {
  return "more values than the limit of " + std::to_string(max_values);
}

/// `count` zeros as an array: count + 1 values.
std::string zeros(std::size_t count) {
  std::string out = "[";
  out.reserve(2 * count + 2);
  for (std::size_t i = 0; i < count; ++i) out += i == 0 ? "0" : ",0";
  return out + "]";
}

/// An object of `count` members "m0":0, "m1":0, ...: count + 1 values.
std::string object_of(std::size_t count) {
  std::string out = "{";
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out += ',';
    out += "\"m" + std::to_string(i) + "\":0";
  }
  return out + "}";
}

/// An object naming "a" `count` times: count + 1 values, one member.
std::string repeated_member(std::size_t count) {
  std::string out = "{";
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out += ',';
    out += "\"a\":" + std::to_string(i);
  }
  return out + "}";
}

void check_refused(const chathooks::Error& error, std::size_t max_values,
                   const std::string& pointer) {
  INFO("error: " << error.to_string());
  CHECK(error.code() == Errc::too_large);
  CHECK(error.pointer() == pointer);
  CHECK(error.message() == limit_message(max_values));
}

}  // namespace

TEST_CASE("max_values: the root and every value count once, member names do not",
          "[json][limits][max_values]") {
  struct Case {
    std::string text;
    std::size_t values;     // in the document
    std::string last;       // pointer of its last value
    std::string last_text;  // that value's text, to check the error's offset
  };
  const std::vector<Case> cases = {
      {"0", 1, "", "0"},
      {" \"s\" ", 1, "", "\"s\""},
      {"[]", 1, "", "[]"},
      {"{}", 1, "", "{}"},
      {"[0]", 2, "/0", "0"},
      {"{\"a\":0}", 2, "/a", "0"},
      {"{\"a\" : \"xyz\"}", 2, "/a", "\"xyz\""},
      {"{\"a\":{}}", 2, "/a", "{}"},
      {"[[],{},null,true,false,1.5,-1,18446744073709551615,\"x\"]", 10, "/8", "\"x\""},
      {"{\"a\":[{\"b\":[0,0,12]}]}", 7, "/a/0/b/2", "12"},
      {"{\"a\":[{\"b\":[0,0,0]}],\"c\":[1]}", 9, "/c/0", "1"},
      {"{\"a\":[{\"b\":[0,0,0]}],\"c\":{\"d\":{}}}", 9, "/c/d", "{}"},
      {"{\"\":0,\"~/\":1}", 3, "/~0~1", "1"},
      {"\xEF\xBB\xBF [ 0 , 7 ] ", 3, "/1", "7"},
  };
  for (const Case& c : cases) {
    INFO("document: " << json_test::printable(c.text) << ", " << c.values << " values");
    // Exactly as many values as the limit: parsed whole.
    const Json whole = parse_ok(c.text, limit(c.values));
    CHECK(whole == parse_ok(c.text, limit(std::numeric_limits<std::size_t>::max())));
    // One value more than the limit: refused at the last value, not before it.
    const auto error = parse_error(c.text, limit(c.values - 1));
    check_refused(error, c.values - 1, c.last);
    // The offset lies within the refused value (its first byte for numbers and containers).
    const std::size_t start = c.text.rfind(c.last_text);
    REQUIRE(error.offset().has_value());
    CHECK(*error.offset() >= start);
    CHECK(*error.offset() <= start + c.last_text.size());
  }
}

TEST_CASE("max_values of 0 refuses even a lone scalar, at the root", "[json][limits][max_values]") {
  for (const char* text : {"null", "0", "\"\"", "[]", "{}"}) {
    INFO(text);
    check_refused(parse_error(text, limit(0)), 0, "");
  }
}

TEST_CASE("The default max_values is 100,000: arrays and objects at the boundary",
          "[json][limits][max_values]") {
  CHECK(ParseOptions{}.max_values == kDefault);
  SECTION("an array") {
    // The root and 99,999 elements: exactly the limit.
    const Json at_limit = parse_ok(zeros(kDefault - 1));
    CHECK(at_limit.size() == kDefault - 1);
    // One more element is the 100,001st value.
    check_refused(parse_error(zeros(kDefault)), kDefault, "/99999");
    // Raised, the same document parses.
    CHECK(parse_ok(zeros(kDefault), limit(kDefault + 1)).size() == kDefault);
  }
  SECTION("an object: member names are not values") {
    // 99,999 members and the root; were names counted, this would be 199,999 values.
    const Json at_limit = parse_ok(object_of(kDefault - 1));
    CHECK(at_limit.size() == kDefault - 1);
    check_refused(parse_error(object_of(kDefault)), kDefault, "/m99999");
  }
  SECTION("the count starts again with every parse") {
    const std::string text = zeros(kDefault - 1);
    const ParseOptions options;
    for (int round = 0; round < 3; ++round) {
      INFO("round " << round);
      CHECK(parse_ok(text, options).size() == kDefault - 1);
      check_refused(parse_error(zeros(kDefault), options), kDefault, "/99999");
    }
  }
}

TEST_CASE("max_values applies under every duplicate-member policy", "[json][limits][max_values]") {
  for (const DuplicateKeys policy :
       {DuplicateKeys::reject, DuplicateKeys::first_wins, DuplicateKeys::last_wins}) {
    INFO("policy " << static_cast<int>(policy));
    // Distinct members: the boundary is the same whatever the policy.
    CHECK(parse_ok(object_of(kDefault - 1), limit(kDefault, policy)).size() == kDefault - 1);
    check_refused(parse_error(object_of(kDefault), limit(kDefault, policy)), kDefault, "/m99999");
    // A million elements, nested: refused at the 100,001st value.
    check_refused(parse_error("{\"a\":" + zeros(1000000) + "}", limit(kDefault, policy)), kDefault,
                  "/a/99998");
  }
  // Values that a policy drops or replaces still count: the document holds them.
  SECTION("first_wins: skipped duplicates count, nested values included") {
    const std::string text = "{\"a\":0,\"a\":[0,0,0]}";  // root, 0, [...], 0, 0, 0
    CHECK(parse_ok(text, limit(6, DuplicateKeys::first_wins)) == parse_ok("{\"a\":0}"));
    // The 6th value is inside the skipped duplicate: the pointer names the duplicate.
    check_refused(parse_error(text, limit(5, DuplicateKeys::first_wins)), 5, "/a");
    // One member named 100,000 times holds one member but 100,001 values.
    const Json kept =
        parse_ok(repeated_member(kDefault - 1), limit(kDefault, DuplicateKeys::first_wins));
    CHECK(kept.size() == 1);
    CHECK(kept.find("a")->get_int64() == 0);
    check_refused(
        parse_error(repeated_member(kDefault), limit(kDefault, DuplicateKeys::first_wins)),
        kDefault, "/a");
  }
  SECTION("last_wins: replaced values count") {
    const std::string text = "{\"a\":[0,0,0],\"a\":0}";  // root, [...], 0, 0, 0, 0
    CHECK(parse_ok(text, limit(6, DuplicateKeys::last_wins)) == parse_ok("{\"a\":0}"));
    check_refused(parse_error(text, limit(5, DuplicateKeys::last_wins)), 5, "/a");
    const Json kept =
        parse_ok(repeated_member(kDefault - 1), limit(kDefault, DuplicateKeys::last_wins));
    CHECK(kept.size() == 1);
    CHECK(kept.find("a")->get_int64() == static_cast<std::int64_t>(kDefault - 2));
    check_refused(parse_error(repeated_member(kDefault), limit(kDefault, DuplicateKeys::last_wins)),
                  kDefault, "/a");
  }
  SECTION("reject: whichever comes first in the document") {
    // The duplicate is found at its name, before its value would be counted.
    const auto duplicate = parse_error("{\"a\":0,\"a\":1}", limit(2));
    CHECK(duplicate.code() == Errc::duplicate_key);
    CHECK(duplicate.pointer() == "/a");
    // With a limit of 1, the first member's value is already past it.
    check_refused(parse_error("{\"a\":0,\"a\":1}", limit(1)), 1, "/a");
    // A duplicate after the 100,001st value is never reached.
    std::string late = zeros(kDefault);
    late.insert(0, "{\"a\":");
    late += ",\"a\":1}";
    check_refused(parse_error(late), kDefault, "/a/99998");
  }
}

TEST_CASE("max_values against the other limits and syntax errors", "[json][limits][max_values]") {
  SECTION("max_bytes is checked first, before parsing") {
    const std::string text = zeros(kDefault);  // 200,001 bytes, 100,001 values
    ParseOptions options;
    options.max_bytes = text.size() - 1;
    const auto error = parse_error(text, options);
    CHECK(error.code() == Errc::too_large);
    CHECK(error.message() == "document is 200001 bytes, the limit is 200000");
    CHECK(error.pointer().empty());
  }
  SECTION("depth and value limits: the first reached in the document wins") {
    const std::string deep = json_test::nested(200, "[", "", "]");  // 200 values, 200 levels
    // The 101st value is the array at depth 101: before the depth limit (128).
    std::string pointer;
    for (int i = 0; i < 100; ++i) pointer += "/0";
    check_refused(parse_error(deep, limit(100)), 100, pointer);
    // With room for the values, the depth limit refuses the 129th level.
    CHECK(parse_error(deep, limit(1000)).code() == Errc::too_deep);
  }
  SECTION("a syntax error past the limit is never reached; one before it is reported") {
    std::string text = zeros(kDefault + 10);
    text.replace(text.size() - 2, 1, "x");  // the last element
    check_refused(parse_error(text), kDefault, "/99999");
    const auto error = parse_error(text, limit(kDefault + 11));
    CHECK(error.code() == Errc::syntax);
    CHECK(error.pointer() == "/100009");
  }
}

TEST_CASE("Invalid UTF-8 is located in documents with more values than max_values",
          "[json][limits][max_values][utf8]") {
  // UTF-8 is checked before parsing, and the pass that finds the bad string's member sets no
  // value limit: the pointer names the string however many values come before it.
  constexpr std::size_t kCount = 200000;
  constexpr std::size_t kBad = 150000;
  std::string text = "{\"a\":{\"b\":[";
  std::size_t bad_offset = 0;
  for (std::size_t i = 0; i < kCount; ++i) {
    if (i != 0) text += ',';
    if (i == kBad) {
      text += "\"ab";
      bad_offset = text.size();
      text += "\xFF\"";
    } else {
      text += "\"ab\"";
    }
  }
  text += "]}}";
  for (const std::size_t max_values :
       {kDefault, std::size_t{1}, std::size_t{0}, std::numeric_limits<std::size_t>::max()}) {
    INFO("max_values " << max_values);
    const auto error = parse_error(text, limit(max_values));
    CHECK(error.code() == Errc::invalid_utf8);
    CHECK(error.pointer() == "/a/b/150000");
    REQUIRE(error.offset().has_value());
    CHECK(*error.offset() == bad_offset);
    CHECK(error.message() == "invalid UTF-8 at byte " + std::to_string(bad_offset));
  }
  // With the bad byte replaced, the limit refuses the same document.
  text[bad_offset] = 'c';
  check_refused(parse_error(text), kDefault, "/a/b/99997");
  CHECK(parse_ok(text, limit(kCount + 3)).at_pointer("/a/b/150000")->get_string()->size() == 3);
}
