// The Flw dispatch: the documented example decodes to the documented values, re-encodes
// semantically equal, and the dispatch-specific shapes (contact custom fields, question and menu
// maps, timestamps, ids written with digits) survive a round trip.
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"

using chathooks::Json;
using chathooks::flw::decode_dispatch;
using chathooks::flw::Dispatch;
using chathooks::flw::encode;
using chathooks::flw::MessageType;
using chathooks::flw::Platform;
using codec_test::load_json;
using codec_test::load_vector;
using codec_test::parse_json;
using codec_test::set_at;

namespace {

Dispatch decode_ok(std::string_view json) {
  auto decoded = decode_dispatch(json);
  if (!decoded) FAIL("decode failed: " << decoded.error().to_string());
  return std::move(decoded).value();
}

std::vector<std::string> keys_of(const Json& object) {
  std::vector<std::string> keys;
  REQUIRE(object.is_object());
  for (const auto& member : *object.get_object()) keys.push_back(member.first);
  return keys;
}

}  // namespace

TEST_CASE("Flw dispatch vector: top level and session", "[codec][flw][vector]") {
  const Dispatch d = decode_ok(load_vector("flw_dispatch.json"));

  REQUIRE(d.response_keys.has_value());
  CHECK(*d.response_keys == std::vector<std::string>{"CLIENTE_EXISTE", "CLIENTE_NAO_EXISTE"});
  CHECK(d.session_id == std::string("567ca9b8-eaa9-4a33-8cf9-d2c67060af74"));
  CHECK(d.extra.empty());

  REQUIRE(d.session.has_value());
  const auto& s = *d.session;
  CHECK(s.id == std::string("567ca9b8-eaa9-4a33-8cf9-d2c67060af74"));
  REQUIRE(s.created_at.has_value());
  CHECK(s.created_at->text() == "2024-06-02T12:00:10.38771Z");
  CHECK(s.created_at->nanoseconds() == 387710000u);
  CHECK(s.created_at->utc_offset_minutes() == 0);
  CHECK(s.department_id == std::string("07deebd3-dede-42d1-9169-75e00efdf088"));
  CHECK(s.user_id.is_null());
  CHECK(s.user_id.is_present());
  CHECK(s.number == std::string("2024062700164"));
  CHECK(s.extra.empty());

  REQUIRE(s.utm.has_value());
  const auto& u = *s.utm;
  CHECK(
      u.clid ==
      std::string("asldkjasLKJASLKDJLKJASLDKJASGFui3HT7c7KUdBaB7lOHHxp5CxufCY0GjlvZcDRpsTaRbZMQ"));
  CHECK(u.term.is_null());
  CHECK(u.medium == std::string("REFERRAL"));
  CHECK(u.source == std::string("INSTAGRAM"));
  CHECK(u.content == std::string("Campanha de Natal Minas Gerais!"));
  CHECK(u.campaign == std::string("776107696326"));
  CHECK(u.headline == std::string("Converse conosco"));
  CHECK(u.referral_url == std::string("https://www.instagram.com/p/x466u6s5ykjs/"));
  CHECK(u.extra.empty());
}

TEST_CASE("Flw dispatch vector: channel and contact", "[codec][flw][vector]") {
  const Dispatch d = decode_ok(load_vector("flw_dispatch.json"));

  REQUIRE(d.channel.has_value());
  const auto& ch = *d.channel;
  CHECK(ch.id == std::string("0a4ca3cd-b9fd-4523-a032-5a343bf7b209"));
  CHECK(ch.key == std::string("551140037752"));
  REQUIRE(ch.platform.has_value());
  CHECK(ch.platform->kind() == Platform::whatsapp);
  CHECK(*ch.platform == Platform::whatsapp);
  CHECK(ch.platform->text() == "WhatsApp");
  CHECK(ch.display_name == std::string("(11) 3000-0000"));

  REQUIRE(d.contact.has_value());
  const auto& c = *d.contact;
  CHECK(c.id == std::string("f8f43b22-2f20-42f3-be13-65bf90282143"));
  CHECK(c.name == std::string("David"));
  CHECK(c.phonenumber == std::string("+55|1199999999"));
  CHECK(c.display_phonenumber == std::string("(11) 99999-9999"));
  CHECK(c.email == std::string("email@gmail.com"));
  CHECK(c.instagram.is_null());
  REQUIRE(c.tags.has_value());
  CHECK(*c.tags == std::vector<std::string>{"Lead"});
  REQUIRE(c.metadata.has_value());
  REQUIRE(c.metadata->size() == 1);
  REQUIRE(c.metadata->find("cod-ext") != nullptr);
  CHECK(*c.metadata->find("cod-ext") == Json("abcd"));

  // The custom field "cnpj" is flattened into the contact: it is an extra.
  REQUIRE(c.extra.size() == 1);
  REQUIRE(c.custom_field("cnpj") != nullptr);
  CHECK(*c.custom_field("cnpj") == Json("00.000.000/0000-00"));
  CHECK(c.custom_field("name") == nullptr);  // known members are not custom fields
  CHECK(c.custom_field("missing") == nullptr);
}

TEST_CASE("Flw dispatch vector: questions, menus and last message", "[codec][flw][vector]") {
  const Dispatch d = decode_ok(load_vector("flw_dispatch.json"));

  REQUIRE(d.questions.has_value());
  REQUIRE(d.questions->size() == 1);
  const auto& q = d.questions->begin()->first;
  CHECK(q == "cb-ec36e3fe-qst-c0b0875a");
  const auto* qa = codec_test::value_of(d.questions->find("cb-ec36e3fe-qst-c0b0875a"));
  REQUIRE(qa != nullptr);
  CHECK(qa->text == std::string("Qual seu CNPJ?"));
  CHECK(qa->answer == std::string("00.000.000/0000-00"));

  REQUIRE(d.menus.has_value());
  REQUIRE(d.menus->size() == 1);
  const auto* menu = codec_test::value_of(d.menus->find("cb-ec36e3fe-mn-943b055a"));
  REQUIRE(menu != nullptr);
  CHECK(menu->text == std::string("Qual opção você deseja?"));
  CHECK(menu->answer == std::string("Comprar"));

  REQUIRE(d.last_message.has_value());
  const auto& m = *d.last_message;
  CHECK(m.id == std::string("152d4d13-0b13-49bb-bafc-3923434f204b"));
  REQUIRE(m.created_at.has_value());
  CHECK(m.created_at->text() == "2024-06-27T19:09:22.592061Z");
  CHECK(m.created_at->nanoseconds() == 592061000u);
  REQUIRE(m.type.has_value());
  CHECK(m.type->kind() == MessageType::image);
  CHECK(m.type->text() == "IMAGE");
  CHECK(m.text.is_null());
  CHECK(m.file_id == std::string("aa546fa6-ca68-4a8b-a57d-c031460fae69"));
  REQUIRE(m.file.has_value());
  const auto& f = *m.file;
  CHECK(f.public_url ==
        std::string("https://cdn.flw.chat/upload/88fb5de-0cc2-4209-b456-47b454ee6e14/"
                    "IMAGE/c40e85e_20240627190923197_436019626068697.jpg?"
                    "AWSAccessKeyId=XXXX"));
  CHECK(f.extension == std::string(".jpg"));
  CHECK(f.mime_type == std::string("image/jpeg"));
  CHECK(f.name == std::string("436019626068697.jpg"));
  REQUIRE(f.size.has_value());
  CHECK(*f.size == 233541);
}

TEST_CASE("Flw dispatch vector re-encodes semantically equal", "[codec][flw][vector]") {
  const std::string input = load_vector("flw_dispatch.json");
  const Dispatch d = decode_ok(input);
  const std::string encoded = encode(d);
  codec_test::check_same_json(input, encoded);
  // Compact: no white space outside strings.
  CHECK(encoded.find('\n') == std::string::npos);
  CHECK(encoded.rfind("{\"responseKeys\":[\"CLIENTE_EXISTE\",", 0) == 0);
  // And decoding the output gives the same model.
  const Dispatch again = decode_ok(encoded);
  CHECK(encode(again) == encoded);
}

TEST_CASE("Flw dispatch: question and menu maps keep their keys in order",
          "[codec][flw][variants]") {
  Json doc = load_json("flw_dispatch.json");
  Json questions = Json::object();
  for (const char* id : {"q-zeta", "q-alpha", "q-mid", "q/slash~tilde"}) {
    Json qa = Json::object();
    qa["text"] = std::string("asked ") + id;
    qa["answer"] = std::string("answered ") + id;
    questions[id] = qa;
  }
  set_at(doc, "/questions", questions);
  set_at(doc, "/menus", Json::object());

  const Dispatch d = decode_ok(doc.dump());
  REQUIRE(d.questions.has_value());
  std::vector<std::string> keys;
  for (const auto& [key, qa] : *d.questions) {
    keys.push_back(key);
    REQUIRE(qa.has_value());
    CHECK(qa->answer == "answered " + key);
  }
  CHECK(keys == std::vector<std::string>{"q-zeta", "q-alpha", "q-mid", "q/slash~tilde"});
  REQUIRE(d.menus.has_value());
  CHECK(d.menus->empty());

  const Json out = parse_json(encode(d));
  CHECK(out == doc);
  const Json* encoded_questions = out.find("questions");
  REQUIRE(encoded_questions != nullptr);
  CHECK(keys_of(*encoded_questions) == keys);
}

TEST_CASE("Flw dispatch: contact custom fields under slug names are kept in order",
          "[codec][flw][variants]") {
  Json doc = load_json("flw_dispatch.json");
  Json& contact = codec_test::at(doc, "/contact");
  contact["data-de-nascimento"] = "1990-01-01";
  contact["pontos"] = 1500;
  contact["vip"] = true;
  contact["enderecos"] = parse_json(R"([{"rua":"A","numero":"12"},{"rua":"B"}])");
  contact["sem-valor"] = nullptr;

  const Dispatch d = decode_ok(doc.dump());
  REQUIRE(d.contact.has_value());
  const auto& c = *d.contact;
  CHECK(c.name == std::string("David"));  // known members still typed
  std::vector<std::string> extra_keys;
  for (const auto& member : c.extra) extra_keys.push_back(member.first);
  CHECK(extra_keys == std::vector<std::string>{"cnpj", "data-de-nascimento", "pontos", "vip",
                                               "enderecos", "sem-valor"});
  REQUIRE(c.custom_field("pontos") != nullptr);
  CHECK(c.custom_field("pontos")->get_int64() == 1500);
  REQUIRE(c.custom_field("vip") != nullptr);
  CHECK(c.custom_field("vip")->get_bool() != nullptr);
  CHECK(*c.custom_field("vip")->get_bool());
  REQUIRE(c.custom_field("sem-valor") != nullptr);
  CHECK(c.custom_field("sem-valor")->is_null());
  REQUIRE(c.custom_field("enderecos") != nullptr);
  CHECK(c.custom_field("enderecos")->size() == 2);

  const Json out = parse_json(encode(d));
  CHECK(out == doc);
  // Known members and custom fields interleaved as received (the document's `cnpj` comes
  // before `metadata`).
  const Json* encoded_contact = out.find("contact");
  REQUIRE(encoded_contact != nullptr);
  CHECK(keys_of(*encoded_contact) == keys_of(codec_test::at(doc, "/contact")));
  CHECK(keys_of(*encoded_contact) ==
        std::vector<std::string>{"id", "name", "phonenumber", "display-phonenumber", "email",
                                 "instagram", "tags", "cnpj", "metadata", "data-de-nascimento",
                                 "pontos", "vip", "enderecos", "sem-valor"});
}

TEST_CASE("Flw dispatch: ids, phones and numeric-looking codes stay strings",
          "[codec][flw][variants]") {
  Json doc = load_json("flw_dispatch.json");
  set_at(doc, "/session/number", "000123");
  set_at(doc, "/channel/key", "0551140037752");
  set_at(doc, "/session/utm/campaign", "99999999999999999999999");
  set_at(doc, "/contact/phonenumber", "+55|0011999999999");
  set_at(doc, "/questions/cb-ec36e3fe-qst-c0b0875a/answer", "1e3");

  const std::string input = doc.dump();
  const Dispatch d = decode_ok(input);
  CHECK(d.session->number == std::string("000123"));
  CHECK(d.channel->key == std::string("0551140037752"));
  CHECK(d.session->utm->campaign == std::string("99999999999999999999999"));
  CHECK(d.contact->phonenumber == std::string("+55|0011999999999"));
  CHECK(codec_test::value_of(d.questions->find("cb-ec36e3fe-qst-c0b0875a"))->answer ==
        std::string("1e3"));

  const std::string encoded = encode(d);
  CHECK(encoded.find("\"number\":\"000123\"") != std::string::npos);
  CHECK(encoded.find("\"key\":\"0551140037752\"") != std::string::npos);
  CHECK(encoded.find("\"campaign\":\"99999999999999999999999\"") != std::string::npos);
  CHECK(encoded.find("\"answer\":\"1e3\"") != std::string::npos);
  codec_test::check_same_json(input, encoded);
}

TEST_CASE("Flw dispatch: the file size takes the whole int64 range", "[codec][flw][numbers]") {
  Json doc = load_json("flw_dispatch.json");
  for (const std::string text : {"9223372036854775807", "-9223372036854775808", "0"}) {
    INFO("size " << text);
    std::string input = doc.dump();
    const std::string needle = "\"size\":233541";
    const auto at = input.find(needle);
    REQUIRE(at != std::string::npos);
    input.replace(at, needle.size(), "\"size\":" + text);
    const Dispatch d = decode_ok(input);
    REQUIRE(d.last_message->file->size.has_value());
    CHECK(std::to_string(*d.last_message->file->size) == text);
    const std::string encoded = encode(d);
    CHECK(encoded.find("\"size\":" + text + "}") != std::string::npos);
  }
}

TEST_CASE("Flw dispatch: timestamps keep their text, offset and nine fractional digits",
          "[codec][flw][timestamps]") {
  Json doc = load_json("flw_dispatch.json");
  set_at(doc, "/session/createdAt", "2024-06-02T12:00:10.123456789+03:00");
  set_at(doc, "/lastMessage/createdAt", "2024-06-27 19:09:22-00:30");
  const std::string input = doc.dump();
  const Dispatch d = decode_ok(input);

  REQUIRE(d.session->created_at.has_value());
  const auto& created = *d.session->created_at;
  CHECK(created.text() == "2024-06-02T12:00:10.123456789+03:00");
  CHECK(created.nanoseconds() == 123456789u);
  CHECK(created.utc_offset_minutes() == 180);
  CHECK(created.unix_seconds() == 1717329610 - 3 * 3600);  // 12:00:10+03:00 is 09:00:10Z

  REQUIRE(d.last_message->created_at.has_value());
  CHECK(d.last_message->created_at->text() == "2024-06-27 19:09:22-00:30");
  CHECK(d.last_message->created_at->utc_offset_minutes() == -30);

  const std::string encoded = encode(d);
  CHECK(encoded.find("\"createdAt\":\"2024-06-02T12:00:10.123456789+03:00\"") != std::string::npos);
  CHECK(encoded.find("\"createdAt\":\"2024-06-27 19:09:22-00:30\"") != std::string::npos);
  codec_test::check_same_json(input, encoded);
}

TEST_CASE("Flw dispatch: message types and platforms no document lists are kept",
          "[codec][flw][enums]") {
  Json doc = load_json("flw_dispatch.json");
  set_at(doc, "/channel/platform", "Telegram");
  set_at(doc, "/lastMessage/type", "STICKER");
  Dispatch d = decode_ok(doc.dump());
  CHECK(d.channel->platform->kind() == Platform::unknown);
  CHECK_FALSE(d.channel->platform->is_known());
  CHECK(d.channel->platform->text() == "Telegram");
  CHECK(*d.channel->platform != Platform::unknown);  // unknown never compares equal
  CHECK(d.last_message->type->kind() == MessageType::unknown);
  CHECK(d.last_message->type->text() == "STICKER");
  std::string encoded = encode(d);
  CHECK(encoded.find("\"platform\":\"Telegram\"") != std::string::npos);
  CHECK(encoded.find("\"type\":\"STICKER\"") != std::string::npos);

  // Known values in another case map to the enumerator and keep their text.
  set_at(doc, "/channel/platform", "whatsapp");
  set_at(doc, "/lastMessage/type", "Audio");
  d = decode_ok(doc.dump());
  CHECK(d.channel->platform->kind() == Platform::whatsapp);
  CHECK(d.channel->platform->text() == "whatsapp");
  CHECK(d.last_message->type->kind() == MessageType::audio);
  CHECK(d.last_message->type->text() == "Audio");
  encoded = encode(d);
  CHECK(encoded.find("\"platform\":\"whatsapp\"") != std::string::npos);
  CHECK(encoded.find("\"type\":\"Audio\"") != std::string::npos);

  // An empty string is a value too.
  set_at(doc, "/channel/platform", "");
  d = decode_ok(doc.dump());
  CHECK(d.channel->platform->kind() == Platform::unknown);
  CHECK(d.channel->platform->text().empty());
  CHECK(encode(d).find("\"platform\":\"\"") != std::string::npos);
}
