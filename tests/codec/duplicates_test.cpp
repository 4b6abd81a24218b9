// Duplicate member names: rejected by default with the member's pointer (at a known member, in a
// map, in an undocumented member, inside arrays, in objects large enough to be indexed), and
// resolved as documented with DuplicateKeys::first_wins and last_wins.
#include <string>
#include <variant>
#include <vector>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"

using chathooks::DuplicateKeys;
using chathooks::Errc;
using chathooks::Json;
using chathooks::ParseOptions;
using codec_test::check_error;
using codec_test::parse_json;
using codec_test::require_error;

namespace {

ParseOptions with(DuplicateKeys policy) {
  ParseOptions options;
  options.duplicate_keys = policy;
  return options;
}

std::vector<std::string> extra_keys(const chathooks::JsonObject& extra) {
  std::vector<std::string> keys;
  for (const auto& member : extra) keys.push_back(member.first);
  return keys;
}

// An object text with `n` members "k0".."k<n-1>" (valued by index), then `tail`.
std::string many_members(std::size_t n, const std::string& tail) {
  std::string out = "{";
  for (std::size_t i = 0; i < n; ++i) {
    out += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  }
  return out + tail + "}";
}

}  // namespace

TEST_CASE("A duplicate member is rejected with its pointer by default",
          "[codec][duplicates][errors]") {
  const std::string message = "duplicate member name";
  check_error(
      require_error(chathooks::flw::decode_dispatch(R"({"sessionId":"a","sessionId":"b"})")),
      Errc::duplicate_key, "/sessionId", message);
  check_error(require_error(chathooks::flw::decode_dispatch(
                  R"({"contact":{"name":"a","email":null,"name":"b"}})")),
              Errc::duplicate_key, "/contact/name", message);
  check_error(require_error(chathooks::flw::decode_dispatch(
                  R"({"questions":{"q1":{"answer":"a"},"q2":{},"q1":{"answer":"b"}}})")),
              Errc::duplicate_key, "/questions/q1", message);
  check_error(require_error(chathooks::flw::decode_dispatch(R"({"x-new":1,"x-new":2})")),
              Errc::duplicate_key, "/x-new", message);
  check_error(require_error(chathooks::flw::decode_response(
                  R"({"messages":[{"text":"a"},{"text":"b","fileUrl":"u","text":"c"}]})")),
              Errc::duplicate_key, "/messages/1/text", message);
  check_error(
      require_error(chathooks::cliengo::decode_memory(
          R"({"chat_log":[{"sender":"visitor"},{"sender":"chatbot","sender":"visitor"}]})")),
      Errc::duplicate_key, "/chat_log/1/sender", message);
  check_error(require_error(
                  chathooks::cliengo::decode_response(R"({"custom":{"a":{"b":[{"c":1,"c":1}]}}})")),
              Errc::duplicate_key, "/custom/a/b/0/c", message);
  check_error(require_error(chathooks::boticario::decode_event(
                  R"({"event":{"type":"status","type":"reaction"}})")),
              Errc::duplicate_key, "/event/type", message);
  // The same member twice with the same value is still two members.
  check_error(require_error(chathooks::flw::decode_response(R"({"response":"A","response":"A"})")),
              Errc::duplicate_key, "/response", message);
}

TEST_CASE("Duplicates in objects with many members are found", "[codec][duplicates][errors]") {
  // Large objects switch to an index for duplicate detection: check both sides of the switch,
  // in an undocumented member (Json), in a struct's extras and in a typed map.
  for (const std::size_t n :
       {std::size_t{5}, std::size_t{23}, std::size_t{24}, std::size_t{25}, std::size_t{200}}) {
    INFO(n << " members before the duplicate");
    const std::string first_again = "\"k0\":true";
    const std::string last_again = "\"k" + std::to_string(n - 1) + "\":true";

    check_error(require_error(chathooks::flw::decode_dispatch(many_members(n, first_again))),
                Errc::duplicate_key, "/k0", "duplicate member name");
    check_error(require_error(chathooks::flw::decode_dispatch(many_members(n, last_again))),
                Errc::duplicate_key, "/k" + std::to_string(n - 1), "duplicate member name");
    check_error(require_error(chathooks::flw::decode_response(R"({"metadata":)" +
                                                              many_members(n, first_again) + "}")),
                Errc::duplicate_key, "/metadata/k0", "duplicate member name");

    std::string questions = "{";
    for (std::size_t i = 0; i < n; ++i) questions += "\"q" + std::to_string(i) + "\":{},";
    questions += R"("q0":{}})";
    check_error(
        require_error(chathooks::flw::decode_dispatch(R"({"questions":)" + questions + "}")),
        Errc::duplicate_key, "/questions/q0", "duplicate member name");

    // Without a duplicate, all members are kept in order.
    auto ok = chathooks::flw::decode_dispatch(many_members(n, R"("last":null)"));
    REQUIRE(ok.ok());
    REQUIRE(ok->extra.size() == n + 1);
    CHECK(ok->extra.back().first == "last");
    CHECK(parse_json(chathooks::flw::encode(*ok)) == parse_json(many_members(n, R"("last":null)")));
  }
}

TEST_CASE("Nested objects with many members each check their own duplicates",
          "[codec][duplicates]") {
  // Two sibling large objects with the same keys are not duplicates of each other, and an
  // indexed parent keeps working after an indexed child has finished.
  const std::string child = many_members(40, R"("end":0)");
  const std::string input = many_members(30, "\"a\":" + child + ",\"b\":" + child + ",\"k0\":1");
  const auto error = require_error(chathooks::flw::decode_dispatch(input));
  CHECK(error.code() == Errc::duplicate_key);
  CHECK(error.pointer() == "/k0");

  const std::string fine =
      many_members(30, "\"a\":" + child + ",\"b\":" + child + R"(,"c":{"k0":1})");
  auto ok = chathooks::flw::decode_dispatch(fine);
  REQUIRE(ok.ok());
  CHECK(parse_json(chathooks::flw::encode(*ok)) == parse_json(fine));
}

TEST_CASE("DuplicateKeys::last_wins: the last value wins, at the first position",
          "[codec][duplicates]") {
  const ParseOptions last = with(DuplicateKeys::last_wins);

  auto d = chathooks::flw::decode_dispatch(
      R"({"sessionId":"a","x":1,"y":2,"x":3,"sessionId":"b",)"
      R"("session":{"id":"s1","number":"1","z":0},"session":{"number":"2"},)"
      R"("contact":{"name":"a","name":null},)"
      R"("questions":{"q1":{"answer":"a","extra":1},"q2":{"answer":"x"},"q1":{"answer":"b"}},)"
      R"("menus":null,"menus":{"m":{}}})",
      last);
  REQUIRE(d.ok());
  CHECK(d->session_id == std::string("b"));
  CHECK(extra_keys(d->extra) == std::vector<std::string>{"x", "y"});
  CHECK(*d->extra.find("x") == Json(3));
  // A struct member is replaced whole: nothing of the first object survives.
  REQUIRE(d->session.has_value());
  CHECK(d->session->id.is_absent());
  CHECK(d->session->number == std::string("2"));
  CHECK(d->session->extra.empty());
  CHECK(d->contact->name.is_null());
  REQUIRE(d->questions.has_value());
  std::vector<std::string> question_ids;
  for (const auto& item : *d->questions) question_ids.push_back(item.first);
  CHECK(question_ids == std::vector<std::string>{"q1", "q2"});
  CHECK(codec_test::value_of(d->questions->find("q1"))->answer == std::string("b"));
  CHECK(codec_test::value_of(d->questions->find("q1"))->extra.empty());
  REQUIRE(d->menus.has_value());
  CHECK(d->menus->size() == 1);
  check_error(
      require_error(chathooks::flw::decode_dispatch(R"({"sessionId":"a","sessionId":"b"})")),
      Errc::duplicate_key, "/sessionId", "duplicate member name");

  // In a large indexed object too.
  auto big = chathooks::flw::decode_response(
      R"({"metadata":)" + many_members(50, R"("k7":"seven")") + "}", last);
  REQUIRE(big.ok());
  REQUIRE(big->metadata->size() == 50);
  CHECK((big->metadata->begin() + 7)->first == "k7");
  CHECK((big->metadata->begin() + 7)->second == Json("seven"));

  // A Boticario event whose type is given twice is classified by the last one.
  auto event = chathooks::boticario::decode_event(
      R"({"event":{"type":"status","status":"read","type":"reaction"}})", last);
  REQUIRE(event.ok());
  REQUIRE(std::holds_alternative<chathooks::boticario::UnknownEvent>(*event));
  const auto& unknown = std::get<chathooks::boticario::UnknownEvent>(*event);
  CHECK(unknown.type() == "reaction");
  CHECK(chathooks::boticario::encode(*event) == R"({"event":{"type":"reaction","status":"read"}})");
}

TEST_CASE("DuplicateKeys::first_wins: later values are skipped unread", "[codec][duplicates]") {
  const ParseOptions first = with(DuplicateKeys::first_wins);
  // The dropped values would be type errors if they were decoded.
  auto d = chathooks::flw::decode_dispatch(
      R"({"sessionId":"a","sessionId":7,"contact":{"tags":["t"]},"contact":{"tags":[1,{"x":[]}]},)"
      R"("x":[1],"x":{"deep":[[{}]]}})",
      first);
  REQUIRE(d.ok());
  CHECK(d->session_id == std::string("a"));
  REQUIRE(d->contact->tags.has_value());
  CHECK(*d->contact->tags == std::vector<std::string>{"t"});
  CHECK(*d->extra.find("x") == parse_json("[1]"));
  CHECK(chathooks::flw::encode(*d) == R"({"sessionId":"a","contact":{"tags":["t"]},"x":[1]})");

  auto r = chathooks::cliengo::decode_memory(
      R"({"chat_log":[{"sender":"visitor","sender":"chatbot"}],"chat_log":null})", first);
  REQUIRE(r.ok());
  REQUIRE(r->chat_log.has_value());
  CHECK((*r->chat_log)[0].sender->text() == "visitor");
}
