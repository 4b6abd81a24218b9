// Unit tests for the three DuplicateKeys policies of Json::parse: reject (the default) with
// the member's pointer, first_wins and last_wins, at the top level, nested, inside values the
// policy drops, in objects large enough to use the parser's hash index (more than 24
// members), and in an object of 10,000 members.
#include <cstddef>
#include <string>
#include <string_view>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "json_test_util.hpp"

using namespace json_test;

namespace {

// {"k0":0,"k1":1,...} with `count` members, then `extra` appended before the closing brace.
std::string many_members(std::size_t count, const std::string& extra = "") {
  std::string text = "{";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) text += ',';
    text += "\"k" + std::to_string(i) + "\":" + std::to_string(i);
  }
  if (!extra.empty()) text += (count > 0 ? "," : "") + extra;
  return text + "}";
}

// The member names of an object, in order, joined by ','.
std::string keys_of(const Json& value) {
  std::string out;
  for (const auto& member : *value.get_object()) {
    if (!out.empty()) out += ',';
    out += member.first;
  }
  return out;
}

}  // namespace

TEST_CASE("reject is the default policy", "[json][duplicate]") {
  CHECK(ParseOptions{}.duplicate_keys == DuplicateKeys::reject);
}

TEST_CASE("reject: a duplicate member is duplicate_key naming the member",
          "[json][duplicate][reject]") {
  SECTION("top level") {
    const auto error = parse_error(R"({"a":1,"b":2,"a":3})");
    CHECK(error.code() == Errc::duplicate_key);
    CHECK(error.pointer() == "/a");
    CHECK(error.to_string().rfind("/a: ", 0) == 0);
  }
  SECTION("the same value twice is still a duplicate") {
    CHECK(parse_error(R"({"a":1,"a":1})").code() == Errc::duplicate_key);
  }
  SECTION("names are compared after unescaping") {
    CHECK(parse_error(R"({"a":1,"\u0061":2})").pointer() == "/a");
    CHECK(parse_error("{\"\xC3\xA9\":1,\"\\u00e9\":2}").code() == Errc::duplicate_key);
    CHECK(parse_error(R"({"a/b":1,"a\/b":2})").pointer() == "/a~1b");
  }
  SECTION("names differing only after a NUL are distinct") {
    CHECK(parse_ok(R"({"a\u0000b":1,"a\u0000c":2,"a":3,"a\u0000":4})").size() == 4);
    CHECK(parse_error(R"({"a\u0000b":1,"a\u0000b":2})").code() == Errc::duplicate_key);
  }
  SECTION("no Unicode normalisation: precomposed and combining forms are distinct") {
    CHECK(parse_ok("{\"\xC3\xA9\":1,\"e\xCC\x81\":2}").size() == 2);
  }
  SECTION("the empty name") {
    const auto error = parse_error(R"({"":1,"":2})");
    CHECK(error.code() == Errc::duplicate_key);
    CHECK(error.pointer() == "/");
  }
  SECTION("nested, with escaped pointer tokens") {
    const auto error = parse_error(R"({"a":{"b":[0,1,{"c~/":[0,{"x":1,"x":2}]}]}})");
    CHECK(error.code() == Errc::duplicate_key);
    CHECK(error.pointer() == "/a/b/2/c~0~1/1/x");
    CHECK(error.to_string().rfind("/a/b/2/c~0~1/1/x: ", 0) == 0);
  }
  SECTION("the same name in different objects is not a duplicate") {
    const Json v = parse_ok(R"({"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]})");
    CHECK(v.at_pointer("/a/a/a")->get_int64() == 1);
    CHECK(v.at_pointer("/b/1/a")->get_int64() == 2);
  }
  SECTION("the error offset is just past the duplicate name") {
    const auto error = parse_error(R"({"a":1,"a":2})");
    REQUIRE(error.offset().has_value());
    CHECK(*error.offset() >= 7);   // where the second "a" starts
    CHECK(*error.offset() <= 10);  // just after its ':'
  }
}

TEST_CASE("first_wins keeps the first value and position", "[json][duplicate][first_wins]") {
  const ParseOptions options = with(DuplicateKeys::first_wins);
  SECTION("scalars") {
    const Json v = parse_ok(R"({"a":1,"b":2,"a":3,"c":4,"a":5})", options);
    CHECK(keys_of(v) == "a,b,c");
    CHECK(v.find("a")->get_int64() == 1);
    CHECK(v.dump() == R"({"a":1,"b":2,"c":4})");
  }
  SECTION("containers are dropped whole, duplicates inside them are not looked at") {
    const Json v =
        parse_ok(R"({"a":{"x":1},"a":{"y":[1,{"z":2,"z":3}],"x":9},"a":[1,2],"b":null})", options);
    CHECK(v.dump() == R"({"a":{"x":1},"b":null})");
  }
  SECTION("nested objects apply the policy too") {
    const Json v = parse_ok(R"([{"a":[{"b":1,"b":2}]},{"c":{"d":true,"d":false}}])", options);
    CHECK(v.dump() == R"([{"a":[{"b":1}]},{"c":{"d":true}}])");
  }
  SECTION("a dropped value must still be valid JSON") {
    const auto error = parse_error(R"({"a":1,"a":[1,2,}})", options);
    CHECK(error.code() == Errc::syntax);
    CHECK(parse_error("{\"a\":1,\"a\":\"\xFF\"}", options).code() == Errc::invalid_utf8);
  }
}

TEST_CASE("last_wins keeps the last value at the first position", "[json][duplicate][last_wins]") {
  const ParseOptions options = with(DuplicateKeys::last_wins);
  SECTION("scalars") {
    const Json v = parse_ok(R"({"a":1,"b":2,"a":3,"c":4,"a":5})", options);
    CHECK(keys_of(v) == "a,b,c");
    CHECK(v.find("a")->get_int64() == 5);
    CHECK(v.dump() == R"({"a":5,"b":2,"c":4})");
  }
  SECTION("a later container replaces an earlier one, no merge") {
    const Json v = parse_ok(R"({"a":{"x":1,"y":2},"b":0,"a":{"z":3}})", options);
    CHECK(v.dump() == R"({"a":{"z":3},"b":0})");
  }
  SECTION("a later value of another type replaces the earlier one") {
    CHECK(parse_ok(R"({"a":[1,2,3],"a":"s"})", options).dump() == R"({"a":"s"})");
    CHECK(parse_ok(R"({"a":"s","a":[1]})", options).dump() == R"({"a":[1]})");
    CHECK(parse_ok(R"({"a":{"q":1},"a":null})", options).dump() == R"({"a":null})");
  }
  SECTION("nested objects apply the policy too") {
    const Json v = parse_ok(R"([{"a":[{"b":1,"b":2}]},{"c":{"d":true,"d":false}}])", options);
    CHECK(v.dump() == R"([{"a":[{"b":2}]},{"c":{"d":false}}])");
  }
  SECTION("duplicates inside the replacing value are resolved too") {
    const Json v = parse_ok(R"({"a":1,"a":{"b":1,"b":2}})", options);
    CHECK(v.dump() == R"({"a":{"b":2}})");
  }
}

TEST_CASE("Duplicate detection in objects with more than 24 members (hash index)",
          "[json][duplicate][large]") {
  for (std::size_t count : {23u, 24u, 25u, 26u, 40u, 100u}) {
    INFO("members before the duplicate: " << count);
    {  // reject
      // A duplicate of the first member, of a middle one and of the last one.
      for (std::size_t target : {std::size_t{0}, count / 2, count - 1}) {
        const std::string name = "k" + std::to_string(target);
        const auto error = parse_error(many_members(count, "\"" + name + "\":true"));
        CHECK(error.code() == Errc::duplicate_key);
        CHECK(error.pointer() == "/" + name);
      }
      CHECK(parse_ok(many_members(count, "\"new\":true")).size() == count + 1);
    }
    {  // first_wins
      const Json v = parse_ok(many_members(count, "\"k0\":-1,\"new\":true,\"new\":false"),
                              with(DuplicateKeys::first_wins));
      CHECK(v.size() == count + 1);
      CHECK(v.find("k0")->get_int64() == 0);
      CHECK(*v.find("new")->get_bool());
      CHECK(v.get_object()->back().first == "new");
    }
    {  // last_wins
      const Json v = parse_ok(many_members(count, "\"k0\":-1,\"new\":true,\"new\":false"),
                              with(DuplicateKeys::last_wins));
      CHECK(v.size() == count + 1);
      CHECK(v.find("k0")->get_int64() == -1);
      CHECK(v.get_object()->begin()->first == "k0");
      CHECK_FALSE(*v.find("new")->get_bool());
      CHECK(v.get_object()->back().first == "new");
    }
  }
}

TEST_CASE("Large objects nested in large objects keep separate indexes",
          "[json][duplicate][large]") {
  // The inner objects reuse the parser's index pool: a name of the outer object must not be
  // seen as a duplicate inside an inner one, nor the other way round.
  std::string text = "{";
  for (int i = 0; i < 30; ++i) {
    text += "\"k" + std::to_string(i) + "\":" + many_members(30) + ",";
  }
  text += "\"last\":" + many_members(30) + "}";
  const Json v = parse_ok(text);
  CHECK(v.size() == 31);
  CHECK(v.at_pointer("/k29/k29")->get_int64() == 29);
  CHECK(v.at_pointer("/last/k0")->get_int64() == 0);

  SECTION("a duplicate in the second large inner object is found") {
    const std::string bad =
        "{\"a\":" + many_members(30) + ",\"b\":" + many_members(30, "\"k7\":0") + "," + "\"c\":1}";
    const auto error = parse_error(bad);
    CHECK(error.code() == Errc::duplicate_key);
    CHECK(error.pointer() == "/b/k7");
  }
  SECTION("a duplicate in the outer object after large inner ones is found") {
    std::string bad = "{";
    for (int i = 0; i < 30; ++i) bad += "\"o" + std::to_string(i) + "\":" + many_members(30) + ",";
    bad += "\"o3\":1}";
    const auto error = parse_error(bad);
    CHECK(error.code() == Errc::duplicate_key);
    CHECK(error.pointer() == "/o3");
  }
}

TEST_CASE("An object of 10,000 members", "[json][duplicate][large]") {
  constexpr std::size_t kCount = 10000;
  SECTION("all distinct: parses in order") {
    const Json v = parse_ok(many_members(kCount));
    REQUIRE(v.size() == kCount);
    CHECK(v.get_object()->begin()->first == "k0");
    CHECK(v.get_object()->back().first == "k9999");
    CHECK(v.find("k5000")->get_int64() == 5000);
  }
  SECTION("a duplicate at the end under each policy") {
    const std::string text = many_members(kCount, "\"k4321\":\"again\"");
    const auto error = parse_error(text);
    CHECK(error.code() == Errc::duplicate_key);
    CHECK(error.pointer() == "/k4321");

    const Json first = parse_ok(text, with(DuplicateKeys::first_wins));
    CHECK(first.size() == kCount);
    CHECK(first.find("k4321")->get_int64() == 4321);

    const Json last = parse_ok(text, with(DuplicateKeys::last_wins));
    CHECK(last.size() == kCount);
    CHECK(*last.find("k4321")->get_string() == "again");
    CHECK((last.get_object()->begin() + 4321)->first == "k4321");
  }
  SECTION("every member written twice") {
    std::string text = many_members(kCount);
    text.pop_back();
    for (std::size_t i = 0; i < kCount; ++i) {
      text += ",\"k" + std::to_string(i) + "\":null";
    }
    text += "}";
    CHECK(parse_error(text).pointer() == "/k0");
    const Json first = parse_ok(text, with(DuplicateKeys::first_wins));
    CHECK(first.size() == kCount);
    CHECK(first.find("k9999")->get_int64() == 9999);
    const Json last = parse_ok(text, with(DuplicateKeys::last_wins));
    CHECK(last.size() == kCount);
    CHECK(last.find("k9999")->is_null());
  }
}
