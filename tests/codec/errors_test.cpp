// Wrong JSON types and bad values at known members: the error names the member's JSON Pointer
// exactly (RFC 6901 escaping included), at every depth, for every protocol.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"

using chathooks::Errc;
using chathooks::Json;
using codec_test::all_members;
using codec_test::all_vectors;
using codec_test::check_error;
using codec_test::load_json;
using codec_test::parse_json;
using codec_test::require_error;
using codec_test::set_at;

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

TEST_CASE("A wrong JSON type at any typed member names that member", "[codec][errors][types]") {
  std::size_t tried = 0;
  for (const auto& v : all_vectors()) {
    const Json original = load_json(v.file);
    for (const auto& [pointer, value] : all_members(original)) {
      if (codec_test::untyped(v, pointer)) continue;
      Json wrong;
      std::string expected;
      switch (value.type()) {
        case Json::Type::null:  // every null in the vectors stands for a string
        case Json::Type::string:
          wrong = 12345;
          expected = contains(v.timestamps, pointer)
                         ? "expected RFC 3339 timestamp string, got number"
                         : "expected string, got number";
          break;
        case Json::Type::int64:
          wrong = "12";
          expected = "expected integer, got string";
          break;
        case Json::Type::boolean:
          wrong = "true";
          expected = "expected boolean, got string";
          break;
        case Json::Type::object:
          wrong = "x";
          expected = "expected object, got string";
          break;
        case Json::Type::array:
          wrong = Json::object();
          expected = "expected array, got object";
          break;
        default:
          FAIL("unexpected JSON type in a vector at " << pointer);
      }
      INFO(v.file << " " << pointer);
      Json doc = original;
      set_at(doc, pointer, wrong);
      auto result = v.round_trip(doc.dump());
      check_error(require_error(result), Errc::type_mismatch, pointer, expected);
      ++tried;
    }
  }
  CHECK(tried > 150);
}

TEST_CASE("Type errors print as '<pointer>: <message>'", "[codec][errors][types]") {
  Json doc = load_json("flw_dispatch.json");
  set_at(doc, "/contact/tags", parse_json(R"(["Lead",5])"));
  const auto error = require_error(chathooks::flw::decode_dispatch(doc.dump()));
  CHECK(error.code() == Errc::type_mismatch);
  CHECK(error.to_string() == "/contact/tags/1: expected string, got number");
}

TEST_CASE("Type errors name the JSON type received", "[codec][errors][types]") {
  const std::vector<std::pair<std::string, std::string>> received = {
      {"null", "null"},  {"true", "boolean"}, {"-1", "number"}, {"18446744073709551615", "number"},
      {"1.5", "number"}, {"{}", "object"},    {"[]", "array"}};
  for (const auto& [element, name] : received) {
    INFO(element);
    check_error(
        require_error(chathooks::flw::decode_dispatch(R"({"responseKeys":["A",)" + element + "]}")),
        Errc::type_mismatch, "/responseKeys/1", "expected string, got " + name);
  }
  check_error(
      require_error(chathooks::flw::decode_dispatch(R"({"lastMessage":{"file":{"size":"1"}}})")),
      Errc::type_mismatch, "/lastMessage/file/size", "expected integer, got string");
}

TEST_CASE("Type errors at several depths", "[codec][errors][types]") {
  SECTION("Flw dispatch") {
    Json doc = load_json("flw_dispatch.json");
    set_at(doc, "/lastMessage/file/size", "233541");
    check_error(require_error(chathooks::flw::decode_dispatch(doc.dump())), Errc::type_mismatch,
                "/lastMessage/file/size", "expected integer, got string");

    doc = load_json("flw_dispatch.json");
    set_at(doc, "/questions/cb-ec36e3fe-qst-c0b0875a/answer", 42);
    check_error(require_error(chathooks::flw::decode_dispatch(doc.dump())), Errc::type_mismatch,
                "/questions/cb-ec36e3fe-qst-c0b0875a/answer", "expected string, got number");

    doc = load_json("flw_dispatch.json");
    set_at(doc, "/menus/cb-ec36e3fe-mn-943b055a", "Comprar");
    check_error(require_error(chathooks::flw::decode_dispatch(doc.dump())), Errc::type_mismatch,
                "/menus/cb-ec36e3fe-mn-943b055a", "expected object, got string");

    doc = load_json("flw_dispatch.json");
    set_at(doc, "/responseKeys", parse_json(R"(["A",["B"]])"));
    check_error(require_error(chathooks::flw::decode_dispatch(doc.dump())), Errc::type_mismatch,
                "/responseKeys/1", "expected string, got array");

    doc = load_json("flw_dispatch.json");
    set_at(doc, "/session/utm/campaign", 776107696326);
    check_error(require_error(chathooks::flw::decode_dispatch(doc.dump())), Errc::type_mismatch,
                "/session/utm/campaign", "expected string, got number");
  }
  SECTION("Flw response") {
    check_error(require_error(chathooks::flw::decode_response(
                    R"({"messages":[{"text":"a"},{"template":{"id":"t","parameters":[]}}]})")),
                Errc::type_mismatch, "/messages/1/template/parameters",
                "expected object, got array");
    check_error(require_error(chathooks::flw::decode_response(R"({"messages":[{},7]})")),
                Errc::type_mismatch, "/messages/1", "expected object, got number");
    check_error(require_error(chathooks::flw::decode_response(R"({"response":true})")),
                Errc::type_mismatch, "/response", "expected string, got boolean");
  }
  SECTION("Cliengo") {
    Json doc = load_json("cliengo_request.json");
    set_at(doc, "/chat_log/0/sender", 1);
    check_error(require_error(chathooks::cliengo::decode_memory(doc.dump())), Errc::type_mismatch,
                "/chat_log/0/sender", "expected string, got number");

    doc = load_json("cliengo_request.json");
    set_at(doc, "/collected_data/phone/international_format", 541138152222);
    check_error(require_error(chathooks::cliengo::decode_memory(doc.dump())), Errc::type_mismatch,
                "/collected_data/phone/international_format", "expected string, got number");

    doc = load_json("cliengo_request.json");
    set_at(doc, "/flow/last_question_id", "3");
    check_error(require_error(chathooks::cliengo::decode_memory(doc.dump())), Errc::type_mismatch,
                "/flow/last_question_id", "expected integer, got string");

    doc = load_json("cliengo_response.json");
    set_at(doc, "/response/response_options", parse_json(R"([3,"Model Y"])"));
    check_error(require_error(chathooks::cliengo::decode_response(doc.dump())), Errc::type_mismatch,
                "/response/response_options/0", "expected string, got number");

    doc = load_json("cliengo_response.json");
    set_at(doc, "/response/stopChat", "true");
    check_error(require_error(chathooks::cliengo::decode_response(doc.dump())), Errc::type_mismatch,
                "/response/stopChat", "expected boolean, got string");
  }
}

TEST_CASE("A payload that is not an object is a type error at the root", "[codec][errors][types]") {
  const std::string message = "expected object, got array";
  check_error(require_error(chathooks::flw::decode_dispatch("[]")), Errc::type_mismatch, "",
              message);
  check_error(require_error(chathooks::flw::decode_response("[]")), Errc::type_mismatch, "",
              message);
  check_error(require_error(chathooks::cliengo::decode_memory("[]")), Errc::type_mismatch, "",
              message);
  check_error(require_error(chathooks::cliengo::decode_response("[]")), Errc::type_mismatch, "",
              message);
  const auto boticario = require_error(chathooks::boticario::decode_event("[]"));
  CHECK(boticario.pointer().empty());
  CHECK(boticario.code() == Errc::type_mismatch);

  check_error(require_error(chathooks::flw::decode_response("null")), Errc::type_mismatch, "",
              "expected object, got null");
  check_error(require_error(chathooks::cliengo::decode_response("\"{}\"")), Errc::type_mismatch, "",
              "expected object, got string");
}

TEST_CASE("Pointers escape '/' and '~' in map keys and member names", "[codec][errors][pointers]") {
  // A question id with both characters: "a/b~c" is written "a~1b~0c".
  check_error(require_error(chathooks::flw::decode_dispatch(
                  R"({"questions":{"a/b~c":{"text":"q","answer":1}}})")),
              Errc::type_mismatch, "/questions/a~1b~0c/answer", "expected string, got number");
  check_error(require_error(chathooks::flw::decode_dispatch(R"({"menus":{"~/":"x"}})")),
              Errc::type_mismatch, "/menus/~0~1", "expected object, got string");
  // Errors inside an undocumented member (kept as Json) and inside free-form metadata.
  const auto in_extra =
      require_error(chathooks::flw::decode_dispatch(R"({"contact":{"a/b~":{"k":1,"k":2}}})"));
  CHECK(in_extra.code() == Errc::duplicate_key);
  CHECK(in_extra.pointer() == "/contact/a~1b~0/k");
  const auto in_metadata = require_error(chathooks::flw::decode_response(
      R"({"contact":{"metadata":{"x~y":{"z/":{"dup":1,"dup":2}}}}})"));
  CHECK(in_metadata.code() == Errc::duplicate_key);
  CHECK(in_metadata.pointer() == "/contact/metadata/x~0y/z~1/dup");
  const auto in_custom =
      require_error(chathooks::cliengo::decode_response(R"({"custom":{"a~1":"\udc00"}})"));
  CHECK(in_custom.code() == Errc::invalid_utf8);
  CHECK(in_custom.pointer() == "/custom/a~01");
}

TEST_CASE("An invalid timestamp at a known member is invalid_value at its pointer",
          "[codec][errors][timestamps]") {
  const struct {
    const char* file;
    const char* pointer;
    const char* text;
  } cases[] = {
      {"flw_dispatch.json", "/session/createdAt", "2024-13-02T12:00:10Z"},
      {"flw_dispatch.json", "/lastMessage/createdAt", "2024-06-27T19:09:22"},
      {"flw_dispatch.json", "/lastMessage/createdAt", ""},
      {"boticario_message_event.json", "/clientData/timeLastMessage", "18/06/2020 17:07"},
      {"boticario_status_sent.json", "/message/createdAt", "2020-02-30T19:35:36Z"},
      {"cliengo_request.json", "/creation_date", "yesterday"},
      {"cliengo_request.json", "/lead_post_date", " 2020-07-13T20:05:59.606Z"},
  };
  for (const auto& c : cases) {
    INFO(c.file << " " << c.pointer << " = \"" << c.text << "\"");
    Json doc = load_json(c.file);
    set_at(doc, c.pointer, c.text);
    std::string input = doc.dump();
    const auto error = require_error(std::string(c.file).rfind("flw", 0) == 0
                                         ? codec_test::round_trip_flw_dispatch(input)
                                     : std::string(c.file).rfind("boticario", 0) == 0
                                         ? codec_test::round_trip_boticario_event(input)
                                         : codec_test::round_trip_cliengo_request(input));
    INFO(error.to_string());
    CHECK(error.code() == Errc::invalid_value);
    CHECK(error.pointer() == c.pointer);
    CHECK(error.message().rfind("invalid timestamp: ", 0) == 0);
    CHECK(error.message().size() > std::string("invalid timestamp: ").size());
  }
  // The reason is the timestamp parser's.
  Json doc = load_json("flw_dispatch.json");
  set_at(doc, "/session/createdAt", "2024-13-02T12:00:10Z");
  const auto error = require_error(chathooks::flw::decode_dispatch(doc.dump()));
  CHECK(error.message() ==
        "invalid timestamp: " +
            chathooks::Timestamp::parse("2024-13-02T12:00:10Z").error().message());
}

TEST_CASE("The first error in document order is the one reported", "[codec][errors]") {
  Json doc = load_json("flw_dispatch.json");
  set_at(doc, "/channel/key", 1);
  set_at(doc, "/lastMessage/file/size", "big");
  check_error(require_error(chathooks::flw::decode_dispatch(doc.dump())), Errc::type_mismatch,
              "/channel/key", "expected string, got number");
}
