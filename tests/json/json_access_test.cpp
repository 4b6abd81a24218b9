// Unit tests for reading and building chathooks::Json: the typed getters, find / at /
// at_pointer (RFC 6901, with the examples of its section 5), operator[] and push_back with
// BadJsonAccess on the wrong type, size, and equality (object member order ignored, numbers
// compared by exact value).
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "chathooks/ordered_map.hpp"
#include "json_test_util.hpp"

using chathooks::BadJsonAccess;
using chathooks::Json;
using json_test::parse_ok;
using namespace std::string_view_literals;

namespace {

// The document of RFC 6901 section 5.
const char* const kRfc6901 = R"({
  "foo": ["bar", "baz"],
  "": 0,
  "a/b": 1,
  "c%d": 2,
  "e^f": 3,
  "g|h": 4,
  "i\\j": 5,
  "k\"l": 6,
  " ": 7,
  "m~n": 8
})";

}  // namespace

TEST_CASE("Constructors choose the documented representation", "[json][access]") {
  CHECK(Json().is_null());
  CHECK(Json(nullptr).is_null());
  CHECK(Json(true).is_bool());
  CHECK(Json(0).is_int64());
  CHECK(Json(std::uint8_t{200}).is_int64());
  CHECK(Json(std::uint64_t{5}).is_int64());  // fits int64: one number, one representation
  CHECK(Json(std::uint64_t{9223372036854775807u}).is_int64());
  CHECK(Json(std::uint64_t{9223372036854775808u}).is_uint64());
  CHECK(Json(-5LL).get_int64() == -5);
  CHECK(Json(1.0).is_double());
  CHECK(Json(1.0f).is_double());
  CHECK(Json("s").is_string());
  CHECK(Json(std::string("s")).is_string());
  CHECK(Json("s"sv).is_string());
  CHECK(Json("a\0b"sv).get_string()->size() == 3);
  CHECK(Json::array().is_array());
  CHECK(Json::object().is_object());
  CHECK(Json(Json::Array{1, "x", nullptr}).size() == 3);
  CHECK(Json(Json::Object{{"a", 1}, {"b", 2}}).size() == 2);
}

TEST_CASE("Typed getters return empty on a type mismatch", "[json][access]") {
  const Json s("text");
  CHECK(s.get_bool() == nullptr);
  CHECK(s.get_array() == nullptr);
  CHECK(s.get_object() == nullptr);
  CHECK_FALSE(s.get_int64().has_value());
  CHECK_FALSE(s.get_uint64().has_value());
  CHECK_FALSE(s.get_double().has_value());
  REQUIRE(s.get_string() != nullptr);
  CHECK(*s.get_string() == "text");

  CHECK_FALSE(Json(true).get_int64().has_value());
  CHECK(Json(nullptr).get_string() == nullptr);

  SECTION("integers") {
    CHECK(Json(-1).get_int64() == -1);
    CHECK_FALSE(Json(-1).get_uint64().has_value());
    CHECK(Json(7).get_uint64() == std::uint64_t{7});
    CHECK(Json(7).get_double() == 7.0);
    const Json big(std::numeric_limits<std::uint64_t>::max());
    CHECK_FALSE(big.get_int64().has_value());
    CHECK(big.get_uint64() == std::numeric_limits<std::uint64_t>::max());
    CHECK(big.get_double() == 18446744073709551616.0);
  }
  SECTION("doubles are not integers, even when whole") {
    CHECK_FALSE(Json(1.0).get_int64().has_value());
    CHECK_FALSE(Json(1.0).get_uint64().has_value());
    CHECK(Json(1.5).get_double() == 1.5);
  }
  SECTION("mutable access") {
    Json v = parse_ok(R"({"s":"a","l":[1]})");
    *v.find("s")->get_string() += "b";
    v.find("l")->get_array()->push_back(2);
    v.get_object()->insert_or_assign("n", 3);
    CHECK(v.dump() == R"({"s":"ab","l":[1,2],"n":3})");
  }
}

TEST_CASE("find, at and size", "[json][access]") {
  const Json v = parse_ok(R"({"a":[10,20,30],"b":{"c":null},"":"empty name"})");
  CHECK(v.size() == 3);
  REQUIRE(v.find("a") != nullptr);
  CHECK(v.find("a")->size() == 3);
  CHECK(v.find("a")->at(0)->get_int64() == 10);
  CHECK(v.find("a")->at(2)->get_int64() == 30);
  CHECK(v.find("a")->at(3) == nullptr);
  CHECK(v.find("a")->at(std::numeric_limits<std::size_t>::max()) == nullptr);
  CHECK(v.find("b")->find("c")->is_null());
  CHECK(v.find("")->get_string() != nullptr);
  CHECK(v.find("missing") == nullptr);
  CHECK(v.find("A") == nullptr);  // case-sensitive

  SECTION("on the wrong type: nullptr, not an exception") {
    CHECK(v.at(0) == nullptr);
    CHECK(v.find("a")->find("0") == nullptr);
    CHECK(Json(1).find("a") == nullptr);
    CHECK(Json(1).at(0) == nullptr);
    CHECK(Json("abc").at(0) == nullptr);
    CHECK(Json().find("") == nullptr);
  }
  SECTION("size of scalars is 0") {
    CHECK(Json().size() == 0);
    CHECK(Json(5).size() == 0);
    CHECK(Json("abc").size() == 0);
  }
  SECTION("find through a mutable value") {
    Json m = v;
    Json* c = m.find("b");
    REQUIRE(c != nullptr);
    *c = 5;
    CHECK(m.find("b")->get_int64() == 5);
  }
}

TEST_CASE("at_pointer resolves the RFC 6901 section 5 examples", "[json][access][pointer]") {
  const Json doc = parse_ok(kRfc6901);
  CHECK(doc.at_pointer("") == &doc);
  CHECK(*doc.at_pointer("/foo") == parse_ok(R"(["bar","baz"])"));
  CHECK(*doc.at_pointer("/foo/0") == Json("bar"));
  CHECK(*doc.at_pointer("/foo/1") == Json("baz"));
  CHECK(*doc.at_pointer("/") == Json(0));
  CHECK(*doc.at_pointer("/a~1b") == Json(1));
  CHECK(*doc.at_pointer("/c%d") == Json(2));
  CHECK(*doc.at_pointer("/e^f") == Json(3));
  CHECK(*doc.at_pointer("/g|h") == Json(4));
  CHECK(*doc.at_pointer("/i\\j") == Json(5));
  CHECK(*doc.at_pointer("/k\"l") == Json(6));
  CHECK(*doc.at_pointer("/ ") == Json(7));
  CHECK(*doc.at_pointer("/m~0n") == Json(8));
}

TEST_CASE("at_pointer details and bad pointers", "[json][access][pointer]") {
  const Json doc = parse_ok(
      R"({"a":{"b":[0,1,{"c~/":[0,{"x":"found"}]}]},"~1":"tilde-one","":{"":"empty"},
          "list":[0,1,2,3,4,5,6,7,8,9,10,11]})");
  CHECK(*doc.at_pointer("/a/b/2/c~0~1/1/x") == Json("found"));
  CHECK(*doc.at_pointer("/~01") == Json("tilde-one"));  // "~01" is "~1", not "/"
  CHECK(*doc.at_pointer("//") == Json("empty"));
  CHECK(*doc.at_pointer("/list/10") == Json(10));
  CHECK(*doc.at_pointer("/list/11") == Json(11));

  for (std::string_view bad : {
           "a"sv,                          // no leading '/'
           "#/a"sv,                        // URI fragment form is not supported here
           "/missing"sv,                   //
           "/a/b/3"sv,                     // past the end
           "/a/b/-"sv,                     // "-" names no existing element
           "/a/b/01"sv,                    // leading zero
           "/a/b/+1"sv,                    //
           "/a/b/ 1"sv,                    //
           "/a/b/1 "sv,                    //
           "/a/b/"sv,                      // empty index
           "/a/b/0x1"sv,                   //
           "/a/b/1e0"sv,                   //
           "/a/b/-1"sv,                    //
           "/a/b/99999999999999999999"sv,  // beyond size_t
           "/a/b/18446744073709551617"sv,  // wraps to 1 if not checked
           "/a/b/0/x"sv,                   // through a scalar
           "/a/b/2/c~2"sv,                 // invalid escape
           "/a/b/2/c~"sv,                  // truncated escape
           "/a/b/2/c~/"sv,                 // "~" then "/" is not an escape
           "/a/b/2/c%7E0"sv,               // no percent-decoding
           "/~01/x"sv,                     // through a string
       }) {
    INFO("pointer: " << bad);
    CHECK(doc.at_pointer(bad) == nullptr);
  }
  CHECK(Json(1).at_pointer("") != nullptr);
  CHECK(Json(1).at_pointer("/0") == nullptr);
  CHECK(Json().at_pointer("/") == nullptr);
}

TEST_CASE("operator[] builds objects and refuses other types", "[json][access][build]") {
  Json v;
  v["a"] = 1;  // null becomes an object
  REQUIRE(v.is_object());
  v["b"]["c"] = "x";
  v["a"] = 2;  // existing member: same position
  Json& missing = v["d"];
  CHECK(missing.is_null());  // a missing member is appended as null
  CHECK(v.dump() == R"({"a":2,"b":{"c":"x"},"d":null})");
  CHECK(v["a\0b"sv].is_null());
  CHECK(v.size() == 4);

  for (Json wrong : {Json(1), Json(true), Json("s"), Json(1.5), Json::array()}) {
    INFO("value: " << wrong.dump());
    const std::string before = wrong.dump();
    CHECK_THROWS_AS(wrong["a"], BadJsonAccess);
    CHECK(wrong.dump() == before);  // unchanged
  }
  SECTION("BadJsonAccess is a std::logic_error") {
    Json s("s");
    CHECK_THROWS_AS(s["a"], std::logic_error);
  }
}

TEST_CASE("push_back builds arrays and refuses other types", "[json][access][build]") {
  Json v;
  v.push_back(1);  // null becomes an array
  REQUIRE(v.is_array());
  Json& added = v.push_back(Json::object());
  added["k"] = "v";
  v.push_back(nullptr);
  CHECK(v.dump() == R"([1,{"k":"v"},null])");

  for (Json wrong : {Json(1), Json(false), Json("s"), Json(2.5), Json::object()}) {
    INFO("value: " << wrong.dump());
    const std::string before = wrong.dump();
    CHECK_THROWS_AS(wrong.push_back(1), BadJsonAccess);
    CHECK(wrong.dump() == before);
  }
}

TEST_CASE("Integers have one representation, however they are made", "[json][access]") {
  // Every integer that fits int64 is held as int64, whether constructed or parsed; only larger
  // ones are uint64. No public operation makes another representation.
  CHECK(Json(std::uint64_t{5}).is_int64());
  CHECK(parse_ok("5").is_int64());
  CHECK(parse_ok("9223372036854775807").is_int64());
  const Json big = parse_ok("9223372036854775808");
  REQUIRE(big.is_uint64());
  CHECK_FALSE(big.get_int64().has_value());
  CHECK(big.get_uint64() == std::uint64_t{9223372036854775808u});
  CHECK(big == Json(std::uint64_t{9223372036854775808u}));
}

TEST_CASE("Equality: structure, not spelling", "[json][equality]") {
  SECTION("object member order is ignored") {
    CHECK(parse_ok(R"({"a":1,"b":[1,2],"c":{"x":1,"y":2}})") ==
          parse_ok(R"({"c":{"y":2,"x":1},"b":[1,2],"a":1})"));
    CHECK(parse_ok(R"({"a":1})") != parse_ok(R"({"a":1,"b":1})"));
    CHECK(parse_ok(R"({"a":1,"b":1})") != parse_ok(R"({"a":1})"));
    CHECK(parse_ok(R"({"a":1})") != parse_ok(R"({"b":1})"));
    CHECK(parse_ok(R"({"a":1})") != parse_ok(R"({"a":2})"));
  }
  SECTION("array order matters") {
    CHECK(parse_ok("[1,2]") != parse_ok("[2,1]"));
    CHECK(parse_ok("[1,2]") != parse_ok("[1,2,3]"));
    CHECK(parse_ok("[]") != parse_ok("{}"));
  }
  SECTION("types are distinct apart from numbers") {
    CHECK(Json() == Json(nullptr));
    CHECK(Json(true) != Json(1));
    CHECK(Json(false) != Json(0));
    CHECK(Json(false) != Json());
    CHECK(Json("1") != Json(1));
    CHECK(Json("") != Json());
    CHECK(Json::array() != Json());
  }
  SECTION("strings compare bytewise, NUL included") {
    CHECK(Json("a\0b"sv) == Json("a\0b"sv));
    CHECK(Json("a\0b"sv) != Json("a\0c"sv));
    CHECK(Json("a\0"sv) != Json("a"));
    CHECK(Json("\xC3\xA9") != Json("e\xCC\x81"));  // no Unicode normalisation
  }
  SECTION("1 == 1.0, however 1 is made") {
    const Json i(1);
    const Json d(1.0);
    const Json u(std::uint64_t{1});
    REQUIRE(u.is_int64());  // one number, one representation
    CHECK(i == d);
    CHECK(d == i);
    CHECK(i == u);
    CHECK(u == i);
    CHECK(u == d);
    CHECK(d == u);
    CHECK(parse_ok("1") == parse_ok("1.0"));
    CHECK(parse_ok("1") == parse_ok("1e0"));
    CHECK(parse_ok("1") == parse_ok("10e-1"));
    CHECK(parse_ok("[1,{\"a\":2}]") == parse_ok("[1.0,{\"a\":2e0}]"));
    CHECK(Json(1) != Json(1.5));
    CHECK(Json(0) == Json(-0.0));
    CHECK(Json(0.0) == Json(-0.0));
  }
  SECTION("2^63 as uint64 and as double") {
    const Json u = parse_ok("9223372036854775808");
    const Json d = parse_ok("9223372036854775808.0");
    REQUIRE(u.is_uint64());
    REQUIRE(d.is_double());
    CHECK(u == d);
    CHECK(d == u);
    // Exact comparison: INT64_MAX converts to the double 2^63 but is not equal to it.
    const Json max = Json(std::numeric_limits<std::int64_t>::max());
    CHECK(max != d);
    CHECK(d != max);
    CHECK(parse_ok("9223372036854775809") != d);  // 2^63 + 1 rounds to 2^63 as a double
    CHECK(Json(std::numeric_limits<std::uint64_t>::max()) != Json(18446744073709551616.0));
    CHECK(Json(std::numeric_limits<std::int64_t>::min()) == Json(-9223372036854775808.0));
    CHECK(Json(-1) != Json(std::numeric_limits<std::uint64_t>::max()));
  }
  SECTION("2^53 + 1: integers are not rounded through double") {
    CHECK(Json(9007199254740993) != Json(9007199254740992.0));
    CHECK(Json(9007199254740992) == Json(9007199254740992.0));
  }
  SECTION("NaN is not equal to itself; infinities are") {
    const Json nan(std::numeric_limits<double>::quiet_NaN());
    CHECK(nan != nan);
    CHECK(Json(std::numeric_limits<double>::infinity()) ==
          Json(std::numeric_limits<double>::infinity()));
    CHECK(Json(std::numeric_limits<double>::infinity()) !=
          Json(std::numeric_limits<std::int64_t>::max()));
  }
}

// Regression test (fixed): OrderedMap::append (public) can put one name twice in an object;
// equality then only checks that each member of the left side is found on the right, so it is not
// symmetric: {"x":1,"x":1} == {"x":1,"y":2} but not the other way round. ordered_map.hpp says
// "Equal when both hold the same keys with equal values".
TEST_CASE("Equality of objects with a repeated name is symmetric", "[json][equality]") {
  Json::Object twice;
  twice.append("x", Json(1));
  twice.append("x", Json(1));
  const Json a(twice);
  const Json b = parse_ok(R"({"x":1,"y":2})");
  CHECK(a != b);
  CHECK(b != a);
}

namespace {

// A map value that counts how often it is compared, to measure the work of OrderedMap's
// equality.
struct CountedNode {
  chathooks::OrderedMap<CountedNode> children;
  static inline std::size_t comparisons = 0;
  friend bool operator==(const CountedNode& a, const CountedNode& b) {
    ++comparisons;
    return a.children == b.children;
  }
};

// {"a":{"a":...}} `depth` maps deep.
CountedNode counted_chain(int depth) {
  CountedNode root;
  CountedNode* node = &root;
  for (int i = 0; i < depth; ++i) node = &node->children["a"];
  return root;
}

// {"a":{"a":...{"a":leaf}}} `depth` objects deep, parsed.
Json nested_objects(int depth, std::string_view leaf) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += R"({"a":)";
  text += leaf;
  text.append(static_cast<std::size_t>(depth), '}');
  return parse_ok(text);
}

}  // namespace

// Regression test (fixed, found by tests/fuzz/fuzz_json): equality compared each pair of member
// values twice, once from each side, so two equal objects nested N deep took 2^N comparisons;
// {"a":{"a":...}} 127 deep (within the parser's default depth) never finished comparing.
TEST_CASE("Comparing nested objects compares each pair of members once", "[json][equality]") {
  const CountedNode a = counted_chain(24);
  const CountedNode b = counted_chain(24);
  CountedNode::comparisons = 0;
  CHECK(a == b);
  CHECK(CountedNode::comparisons == 25);  // the roots, then one per level

  const Json deep = nested_objects(127, "1");
  CHECK(deep == nested_objects(127, "1"));
  CHECK(deep != nested_objects(127, "2"));
}
