// Allocation-heavy input for Json::parse: a million array elements of each shape, a million
// elements deep inside an object, the size limit on such documents, and member names chosen to
// collide in std::hash (hash flooding). Under the default ParseOptions::max_values (100,000) a
// million elements are refused at the 100,001st value; with max_values raised they must parse
// whole: the decoder copes with them. Each must parse or fail with the documented code: never a
// crash. Time and memory are measured by tests/perf/allocation_bench, not here.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "json/colliding_keys.hpp"
#include "json/pointer_token.hpp"
#include "json_test_util.hpp"

using namespace json_test;

namespace {

constexpr std::size_t kMillion = 1000000;

/// "[e,e,...,e]" with `count` copies of `element`.
std::string array_of(std::size_t count, const std::string& element) {
  std::string out;
  out.reserve(count * (element.size() + 1) + 2);
  out += '[';
  for (std::size_t i = 0; i < count; ++i) {
    if (i != 0) out += ',';
    out += element;
  }
  out += ']';
  return out;
}

/// ParseOptions whose limits are exactly `text`'s size and its number of values.
ParseOptions raised(const std::string& text, std::size_t values) {
  ParseOptions options;
  options.max_bytes = text.size();
  options.max_values = values;
  return options;
}

/// `text` refused under the default options at the 100,001st value, found at `pointer`.
void check_refused_by_default(const std::string& text, const std::string& pointer) {
  const auto error = parse_error(text);
  CHECK(error.code() == Errc::too_large);
  CHECK(error.pointer() == pointer);
  CHECK(error.message() == "more values than the limit of 100000");
}

}  // namespace

TEST_CASE("A million array elements of each JSON type: refused by default, whole when raised",
          "[json][allocation][max_values]") {
  struct Shape {
    std::string element;
    std::size_t values;   // per element
    std::string refused;  // pointer of the 100,001st value of the document
    std::string last;     // pointer of the document's last value
  };
  const std::vector<Shape> shapes = {
      {"0", 1, "/99999", "/999999"},
      {"null", 1, "/99999", "/999999"},
      {"\"abc\"", 1, "/99999", "/999999"},
      {"[]", 1, "/99999", "/999999"},
      {"{}", 1, "/99999", "/999999"},
      // The root is value 1, element i's object 2i + 2 and its member 2i + 3.
      {"{\"k\":0}", 2, "/49999/k", "/999999/k"},
  };
  for (const Shape& shape : shapes) {
    INFO("element: " << shape.element);
    const std::string text = array_of(kMillion, shape.element);
    const std::size_t values = 1 + kMillion * shape.values;
    check_refused_by_default(text, shape.refused);

    // Raised to exactly the document's values: parsed whole.
    const Json value = parse_ok(text, raised(text, values));
    REQUIRE(value.is_array());
    REQUIRE(value.size() == kMillion);
    const Json expected = parse_ok(shape.element);
    CHECK(*value.at(0) == expected);
    CHECK(*value.at(kMillion - 1) == expected);
    CHECK(value.at(kMillion) == nullptr);
    CHECK(value.dump() == text);  // Every shape above is already compact.

    // One less: refused at the very last value.
    const auto error = parse_error(text, raised(text, values - 1));
    CHECK(error.code() == Errc::too_large);
    CHECK(error.pointer() == shape.last);
    CHECK(error.message() == "more values than the limit of " + std::to_string(values - 1));
  }
}

TEST_CASE("A million elements inside an object: copy, compare, pointer, errors",
          "[json][allocation]") {
  std::string text = "{\"a\":{\"b\":" + array_of(kMillion, "1") + "}}";
  // The root, a, b and a million elements.
  const ParseOptions options = raised(text, kMillion + 3);
  SECTION("refused by default at the 100,001st value") {
    check_refused_by_default(text, "/a/b/99997");
  }
  SECTION("parsed whole") {
    const Json value = parse_ok(text, options);
    const Json* last = value.at_pointer("/a/b/999999");
    REQUIRE(last != nullptr);
    CHECK(last->get_int64() == 1);
    const Json copy = value;  // NOLINT: the copy is the point
    CHECK(copy == value);
  }
  SECTION("a bad element at the end is reported there") {
    text.replace(text.size() - 4, 1, "x");  // The last element.
    const auto error = parse_error(text, options);
    CHECK(error.code() == Errc::syntax);
    CHECK(error.offset() == text.size() - 4);
    CHECK(error.pointer() == "/a/b/999999");
  }
  SECTION("the document truncated before its end") {
    text.resize(text.size() - 2);
    const auto error = parse_error(text, options);
    CHECK(error.code() == Errc::syntax);
    CHECK(error.offset() == text.size());
  }
}

TEST_CASE("ParseOptions::max_bytes refuses a million elements before parsing",
          "[json][allocation]") {
  const std::string text = array_of(kMillion, "[]");  // 3 MB: 1 M empty arrays.
  ParseOptions exact = raised(text, kMillion + 1);
  CHECK(parse_ok(text, exact).size() == kMillion);
  // One byte less is refused before parsing, with room for every value.
  ParseOptions smaller = exact;
  smaller.max_bytes = text.size() - 1;
  const auto error = parse_error(text, smaller);
  CHECK(error.code() == Errc::too_large);
  CHECK(error.message() == "document is " + std::to_string(text.size()) + " bytes, the limit is " +
                               std::to_string(text.size() - 1));
  CHECK(error.pointer().empty());
  // The default limit, 16 MiB, refuses the same elements past it: by their size, before the
  // default max_values would refuse them.
  const std::size_t past_default = 16 * 1024 * 1024 / 3 + 1;  // "[]," is 3 bytes.
  const std::string past = array_of(past_default, "[]");
  const auto too_big = parse_error(past);
  CHECK(too_big.code() == Errc::too_large);
  CHECK(too_big.message() ==
        "document is " + std::to_string(past.size()) + " bytes, the limit is 16777216");
}

TEST_CASE("Member names that collide in std::hash parse, and duplicates among them are found",
          "[json][allocation][duplicate]") {
  // 4,096 distinct names, 64 bytes each, one hash: an object index that trusted std::hash would
  // scan every earlier name for each new one (hash flooding). The names must still be told
  // apart exactly, under every duplicate policy.
  const auto keys = colliding_keys::names(12);
  REQUIRE(keys.size() == 4096);
#if defined(__GLIBCXX__) && SIZE_MAX == UINT64_MAX
  // The input really is adversarial for the standard library in use.
  const std::size_t hash = std::hash<std::string>{}(keys.front());
  for (const auto& key : keys) REQUIRE(std::hash<std::string>{}(key) == hash);
#endif
  const Json distinct = parse_ok(colliding_keys::object(keys));
  REQUIRE(distinct.size() == keys.size());
  for (std::size_t i = 0; i < keys.size(); i += 511) {
    REQUIRE(distinct.find(keys[i]) != nullptr);
    CHECK(distinct.find(keys[i])->get_int64() == static_cast<std::int64_t>(i));
  }

  const std::string repeated =
      colliding_keys::object(keys, "," + colliding_keys::quoted(keys[1234]) + ":\"again\"");
  const auto error = parse_error(repeated);
  CHECK(error.code() == Errc::duplicate_key);
  CHECK(error.pointer() == "/" + json_test::pointer_token(keys[1234]));

  const Json first = parse_ok(repeated, with(DuplicateKeys::first_wins));
  CHECK(first.size() == keys.size());
  CHECK(first.find(keys[1234])->get_int64() == 1234);
  const Json last = parse_ok(repeated, with(DuplicateKeys::last_wins));
  CHECK(last.size() == keys.size());
  CHECK(*last.find(keys[1234])->get_string() == "again");
  CHECK((last.get_object()->begin() + 1234)->first == keys[1234]);
}
