// What real deliveries look like, run over every test vector of every protocol: members no
// document mentions at any level, null in place of any member, absent members, empty objects and
// arrays. Each variant must decode and re-encode to JSON semantically equal to its input.
#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <variant>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"

using chathooks::Json;
using codec_test::all_members;
using codec_test::all_vectors;
using codec_test::load_json;
using codec_test::parse_json;
using codec_test::VectorInfo;

namespace {

bool is_boticario(const VectorInfo& v) { return std::string(v.file).rfind("boticario_", 0) == 0; }

// Boticario events cannot be classified without event.type: those members are tested apart.
bool classifies(const VectorInfo& v, const std::string& pointer) {
  return is_boticario(v) && (pointer == "/event" || pointer == "/event/type");
}

std::string parent_of(const std::string& pointer) { return pointer.substr(0, pointer.rfind('/')); }

// Decodes `doc` as the vector's payload, re-encodes it and checks it is still `doc`.
void check_round_trip(const VectorInfo& v, const Json& doc) {
  const std::string input = doc.dump();
  INFO("input: " << input);
  auto encoded = v.round_trip(input);
  if (!encoded) FAIL("decode failed: " << encoded.error().to_string());
  INFO("encoded: " << *encoded);
  CHECK(parse_json(*encoded) == doc);
}

}  // namespace

TEST_CASE("Every file in tests/data is a known vector", "[codec][vector]") {
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(CHATHOOKS_TEST_DATA_DIR)) {
    if (entry.path().extension() == ".json") on_disk.insert(entry.path().filename().string());
  }
  std::set<std::string> listed;
  for (const auto& v : all_vectors()) listed.insert(v.file);
  CHECK(on_disk == listed);
}

TEST_CASE("Every vector decodes and re-encodes semantically equal", "[codec][vector]") {
  for (const auto& v : all_vectors()) {
    INFO(v.file);
    check_round_trip(v, load_json(v.file));
  }
}

TEST_CASE("null in place of any member stays null", "[codec][variants][null]") {
  std::size_t tried = 0;
  for (const auto& v : all_vectors()) {
    const Json original = load_json(v.file);
    for (const auto& [pointer, value] : all_members(original)) {
      if (classifies(v, pointer)) continue;
      // Elements of typed arrays (strings, structs) are values, not optional members; entries
      // of typed maps are tested apart below.
      const Json* parent = original.at_pointer(parent_of(pointer));
      if (parent->is_array() && !codec_test::untyped(v, pointer)) continue;
      if (std::find(v.maps.begin(), v.maps.end(), parent_of(pointer)) != v.maps.end()) continue;
      INFO(v.file << " " << pointer);
      Json doc = original;
      codec_test::set_at(doc, pointer, nullptr);
      check_round_trip(v, doc);
      ++tried;
    }
  }
  CHECK(tried > 150);
}

TEST_CASE("null in place of a question or menu entry stays null", "[codec][variants][null]") {
  // A question id is a member of `questions` like any other, and null in place of any member
  // survives a round trip.
  Json doc = load_json("flw_dispatch.json");
  codec_test::set_at(doc, "/questions/cb-ec36e3fe-qst-c0b0875a", nullptr);
  codec_test::set_at(doc, "/menus/cb-ec36e3fe-mn-943b055a", nullptr);
  for (const auto& v : all_vectors()) {
    if (std::string(v.file) == "flw_dispatch.json") check_round_trip(v, doc);
  }
}

TEST_CASE("An absent member stays absent", "[codec][variants][absent]") {
  std::size_t tried = 0;
  for (const auto& v : all_vectors()) {
    const Json original = load_json(v.file);
    for (const auto& [pointer, value] : all_members(original)) {
      if (classifies(v, pointer)) continue;
      if (original.at_pointer(parent_of(pointer))->is_array()) continue;
      INFO(v.file << " " << pointer);
      Json doc = original;
      codec_test::erase_at(doc, pointer);
      // Semantic equality compares member counts, so a key written back would fail here.
      check_round_trip(v, doc);
      ++tried;
    }
  }
  CHECK(tried > 150);
}

TEST_CASE("Members no document mentions are kept at every level", "[codec][variants][unknown]") {
  const Json future =
      parse_json(R"({"kept":[1,-2,{"deep":null,"flag":true}],"n":18446744073709551615,"s":"0012",)"
                 R"("x":0.5,"e":{},"a":[]})");
  std::size_t tried = 0;
  for (const auto& v : all_vectors()) {
    const Json original = load_json(v.file);
    std::vector<std::string> objects{""};
    for (const auto& [pointer, value] : all_members(original)) {
      if (value.is_object()) objects.push_back(pointer);
    }
    for (const std::string& pointer : objects) {
      INFO(v.file << " object at '" << pointer << "'");
      Json doc = original;
      codec_test::at(doc, pointer)["x-future-member"] = future;
      check_round_trip(v, doc);
      auto encoded = v.round_trip(doc.dump());
      REQUIRE(encoded.ok());
      const Json out = parse_json(*encoded);
      const Json* kept = out.at_pointer(pointer + "/x-future-member");
      REQUIRE(kept != nullptr);
      CHECK(*kept == future);
      ++tried;
    }
  }
  CHECK(tried > 40);
}

TEST_CASE("Unknown members land in the right struct's extra", "[codec][variants][unknown]") {
  SECTION("Flw dispatch: top level, nested structs, map values") {
    Json doc = load_json("flw_dispatch.json");
    doc["protocolVersion"] = 3;
    codec_test::at(doc, "/session/utm")["gclid"] = "abc";
    codec_test::at(doc, "/lastMessage/file")["width"] = 1080;
    codec_test::at(doc, "/questions/cb-ec36e3fe-qst-c0b0875a")["answeredAt"] = "2024-06-02";
    auto d = chathooks::flw::decode_dispatch(doc.dump());
    REQUIRE(d.ok());
    REQUIRE(d->extra.find("protocolVersion") != nullptr);
    CHECK(d->extra.find("protocolVersion")->get_int64() == 3);
    CHECK(d->extra.size() == 1);
    REQUIRE(d->session->utm->extra.find("gclid") != nullptr);
    CHECK(d->session->extra.empty());
    REQUIRE(d->last_message->file->extra.find("width") != nullptr);
    CHECK(d->last_message->extra.empty());
    const auto* qa = codec_test::value_of(d->questions->find("cb-ec36e3fe-qst-c0b0875a"));
    REQUIRE(qa != nullptr);
    REQUIRE(qa->extra.find("answeredAt") != nullptr);
    CHECK(*qa->extra.find("answeredAt") == Json("2024-06-02"));
  }
  SECTION("Flw response: inside an array of structs") {
    Json doc = load_json("flw_response_messages.json");
    codec_test::at(doc, "/messages/1")["delay"] = 2;
    codec_test::at(doc, "/messages/2/template")["language"] = "pt_BR";
    auto r = chathooks::flw::decode_response(doc.dump());
    REQUIRE(r.ok());
    CHECK((*r->messages)[0].extra.empty());
    REQUIRE((*r->messages)[1].extra.find("delay") != nullptr);
    REQUIRE((*r->messages)[2].message_template->extra.find("language") != nullptr);
    CHECK((*r->messages)[2].extra.empty());
  }
  SECTION("Boticario: event, message and mediaData") {
    Json doc = load_json("boticario_message_event.json");
    codec_test::at(doc, "/event")["timestamp"] = 1592500071;
    codec_test::at(doc, "/message/mediaData")["mimeType"] = "application/pdf";
    doc["channel"] = "whatsapp";
    auto e = chathooks::boticario::decode_event(doc.dump());
    REQUIRE(e.ok());
    const auto& m = std::get<chathooks::boticario::MessageEvent>(*e);
    REQUIRE(m.event->extra.find("timestamp") != nullptr);
    REQUIRE(m.message->media_data->extra.find("mimeType") != nullptr);
    REQUIRE(m.extra.find("channel") != nullptr);
    CHECK(m.message->extra.empty());
  }
  SECTION("Cliengo: chat log entries and collected data") {
    Json doc = load_json("cliengo_request.json");
    codec_test::at(doc, "/chat_log/1")["timestamp"] = "2020-07-13T20:04:59Z";
    codec_test::at(doc, "/collected_data/phone")["country"] = "AR";
    doc["language"] = "es";
    auto r = chathooks::cliengo::decode_memory(doc.dump());
    REQUIRE(r.ok());
    CHECK((*r->chat_log)[0].extra.empty());
    REQUIRE((*r->chat_log)[1].extra.find("timestamp") != nullptr);
    REQUIRE(r->collected_data->phone->extra.find("country") != nullptr);
    REQUIRE(r->extra.find("language") != nullptr);
  }
}

TEST_CASE("Empty objects and arrays in place of any member are kept", "[codec][variants][empty]") {
  std::size_t tried = 0;
  for (const auto& v : all_vectors()) {
    const Json original = load_json(v.file);
    for (const auto& [pointer, value] : all_members(original)) {
      if (classifies(v, pointer)) continue;
      if (!value.is_object() && !value.is_array()) continue;
      INFO(v.file << " " << pointer);
      Json doc = original;
      codec_test::set_at(doc, pointer, value.is_object() ? Json::object() : Json::array());
      check_round_trip(v, doc);
      const auto encoded = v.round_trip(doc.dump());
      REQUIRE(encoded.ok());
      const Json out_doc = parse_json(*encoded);
      const Json* out = out_doc.at_pointer(pointer);
      REQUIRE(out != nullptr);  // the empty value is written, not dropped
      CHECK(out->size() == 0);
      CHECK(out->type() == value.type());
      ++tried;
    }
  }
  CHECK(tried > 30);
}

TEST_CASE("Typed members decoded from null are null, from nothing absent",
          "[codec][variants][null]") {
  Json doc = load_json("flw_dispatch.json");
  codec_test::set_at(doc, "/contact/name", nullptr);           // string
  codec_test::set_at(doc, "/session/utm", nullptr);            // struct
  codec_test::set_at(doc, "/contact/tags", nullptr);           // array
  codec_test::set_at(doc, "/lastMessage/file/size", nullptr);  // integer
  codec_test::set_at(doc, "/lastMessage/createdAt", nullptr);  // timestamp
  codec_test::set_at(doc, "/channel/platform", nullptr);       // enum
  codec_test::set_at(doc, "/questions", nullptr);              // map
  codec_test::set_at(doc, "/contact/metadata", nullptr);       // free-form object
  codec_test::set_at(doc, "/contact/cnpj", nullptr);           // custom field
  codec_test::erase_at(doc, "/menus");
  codec_test::erase_at(doc, "/session/number");
  auto d = chathooks::flw::decode_dispatch(doc.dump());
  REQUIRE(d.ok());
  CHECK(d->contact->name.is_null());
  CHECK(d->session->utm.is_null());
  CHECK(d->contact->tags.is_null());
  CHECK(d->last_message->file->size.is_null());
  CHECK(d->last_message->created_at.is_null());
  CHECK(d->channel->platform.is_null());
  CHECK(d->questions.is_null());
  CHECK(d->contact->metadata.is_null());
  REQUIRE(d->contact->custom_field("cnpj") != nullptr);
  CHECK(d->contact->custom_field("cnpj")->is_null());
  CHECK(d->menus.is_absent());
  CHECK(d->session->number.is_absent());
  const std::string encoded = chathooks::flw::encode(*d);
  CHECK(encoded.find("\"menus\"") == std::string::npos);
  CHECK(encoded.find("\"number\"") == std::string::npos);
  CHECK(encoded.find("\"size\":null") != std::string::npos);
  CHECK(encoded.find("\"utm\":null") != std::string::npos);

  Json cliengo = load_json("cliengo_request.json");
  codec_test::set_at(cliengo, "/reactivated", nullptr);            // boolean
  codec_test::set_at(cliengo, "/collected_data/intent", nullptr);  // free-form array
  codec_test::set_at(cliengo, "/flow/last_question_id", nullptr);  // integer
  codec_test::set_at(cliengo, "/chat_log", nullptr);               // array of structs
  auto r = chathooks::cliengo::decode_memory(cliengo.dump());
  REQUIRE(r.ok());
  CHECK(r->reactivated.is_null());
  CHECK(r->collected_data->intent.is_null());
  CHECK(r->flow->last_question_id.is_null());
  CHECK(r->flow->retry_count == std::int64_t{0});
  CHECK(r->chat_log.is_null());
  const std::string cliengo_encoded = chathooks::cliengo::encode(*r);
  CHECK(cliengo_encoded.find("\"reactivated\":null") != std::string::npos);
  CHECK(cliengo_encoded.find("\"chat_log\":null") != std::string::npos);
}

TEST_CASE("Member names with NUL, quotes and non-ASCII are kept exactly",
          "[codec][variants][unknown]") {
  // "session\u0000Id" is not "sessionId": it is an undocumented member.
  const std::string input =
      R"({"sessionId":"a","session\u0000Id":"b","a\"b":1,"ação":2,"\u00e7":3,"":4})";
  auto d = chathooks::flw::decode_dispatch(input);
  REQUIRE(d.ok());
  CHECK(d->session_id == std::string("a"));
  REQUIRE(d->extra.size() == 5);
  CHECK(d->extra.begin()->first == std::string("session\0Id", 10));
  CHECK(d->extra.find("a\"b") != nullptr);
  CHECK(d->extra.find("ação") != nullptr);
  CHECK(d->extra.find("ç") != nullptr);
  CHECK(d->extra.find("") != nullptr);
  const std::string encoded = chathooks::flw::encode(*d);
  codec_test::check_same_json(input, encoded);
  auto again = chathooks::flw::decode_dispatch(encoded);
  REQUIRE(again.ok());
  CHECK(again->extra == d->extra);
}
