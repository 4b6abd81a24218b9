// Encoding values built in code, not decoded: absent Fields are omitted, null Fields written as
// null, known members in the documented order then extras in insertion order, an extra that
// repeats a present known member's name not written twice; the output decodes back.
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"

using chathooks::Field;
using chathooks::Json;
using chathooks::JsonObject;
using chathooks::OpenEnum;
using chathooks::Timestamp;
using codec_test::parse_json;

TEST_CASE("A default-constructed payload encodes as an empty object", "[codec][encode]") {
  CHECK(chathooks::flw::encode(chathooks::flw::Dispatch{}) == "{}");
  CHECK(chathooks::flw::encode(chathooks::flw::Response{}) == "{}");
  CHECK(chathooks::cliengo::encode(chathooks::cliengo::Memory{}) == "{}");
  CHECK(chathooks::cliengo::encode(chathooks::cliengo::Response{}) == "{}");
  CHECK(chathooks::boticario::encode(chathooks::boticario::EventFields{}) == "{}");
}

TEST_CASE("Flw response built in code", "[codec][encode][flw]") {
  chathooks::flw::Response r;
  r.branch = "CLIENTE_EXISTE";
  r.extra["trace"] = "t-1";  // extras go after the known members, whatever the order of setting
  r.metadata.emplace()["cliente-existe"] = true;
  auto& contact = r.contact.emplace();
  contact.email = nullptr;                    // clear
  contact.name = "Maria";                     // set
  contact.tags = std::vector<std::string>{};  // empty, still written
  contact.extra["cnpj"] = "00.000.000/0000-00";
  contact.extra["codigo"] = nullptr;
  auto& messages = r.messages.emplace();
  messages.emplace_back().text = "Olá";
  auto& both = messages.emplace_back();
  both.text = "Boleto";
  both.file_url = "https://x.example/b.pdf";
  auto& templated = messages.emplace_back().message_template.emplace();
  templated.id = "ab78cd_oferta";
  templated.parameters.emplace()["valor"] = "R$ 9,99";

  const std::string expected =
      R"({"response":"CLIENTE_EXISTE","metadata":{"cliente-existe":true},)"
      R"("contact":{"name":"Maria","email":null,"tags":[],"cnpj":"00.000.000/0000-00",)"
      R"("codigo":null},"messages":[{"text":"Olá"},)"
      R"({"text":"Boleto","fileUrl":"https://x.example/b.pdf"},)"
      R"({"template":{"id":"ab78cd_oferta","parameters":{"valor":"R$ 9,99"}}}],"trace":"t-1"})";
  const std::string encoded = chathooks::flw::encode(r);
  CHECK(encoded == expected);

  auto back = chathooks::flw::decode_response(encoded);
  REQUIRE(back.ok());
  CHECK(back->contact->email.is_null());
  CHECK(back->contact->phonenumber.is_absent());
  CHECK(chathooks::flw::encode(*back) == encoded);
}

TEST_CASE("Null Fields of every type are written as null", "[codec][encode]") {
  chathooks::flw::Dispatch d;
  d.response_keys = nullptr;
  d.session.emplace().created_at = nullptr;
  d.channel.emplace().platform = nullptr;
  d.questions = nullptr;
  d.last_message.emplace().file.emplace().size = nullptr;
  d.contact.emplace().metadata = Field<JsonObject>::null();
  CHECK(chathooks::flw::encode(d) ==
        R"({"responseKeys":null,"session":{"createdAt":null},"channel":{"platform":null},)"
        R"("contact":{"metadata":null},"questions":null,"lastMessage":{"file":{"size":null}}})");

  chathooks::cliengo::Memory req;
  req.reactivated = nullptr;
  req.flow.emplace().last_question_id = nullptr;
  req.chat_log = nullptr;
  CHECK(chathooks::cliengo::encode(req) ==
        R"({"chat_log":null,"reactivated":null,"flow":{"last_question_id":null}})");
}

TEST_CASE("A Field set back to absent is omitted", "[codec][encode]") {
  chathooks::cliengo::Response r;
  r.name.emplace().value = "Juan";
  r.email = nullptr;
  r.email.reset();
  r.custom.emplace();
  r.custom.set_null();
  CHECK(chathooks::cliengo::encode(r) == R"({"name":{"value":"Juan"},"custom":null})");
}

TEST_CASE("An extra repeating a known member's name is not written twice", "[codec][encode]") {
  chathooks::flw::Response r;
  r.branch = "A";
  r.extra["response"] = "B";
  r.extra["other"] = 1;
  std::string encoded = chathooks::flw::encode(r);
  CHECK(encoded == R"({"response":"A","other":1})");

  // A null known member is present too: the extra still does not repeat it.
  r.branch = nullptr;
  encoded = chathooks::flw::encode(r);
  CHECK(encoded == R"({"response":null,"other":1})");

  // Nested structs follow the same rule.
  chathooks::cliengo::Response c;
  auto& reply = c.reply.emplace();
  reply.flow = 5;
  reply.extra["flow"] = "five";
  CHECK(chathooks::cliengo::encode(c) == R"({"response":{"flow":5}})");

  // Whatever the fields hold, the output never names a member twice.
  r.branch.reset();
  encoded = chathooks::flw::encode(r);
  CHECK(chathooks::Json::parse(encoded).ok());
  CHECK(chathooks::flw::decode_response(encoded).ok());
}

TEST_CASE("Enumerators and timestamps built in code", "[codec][encode]") {
  chathooks::cliengo::Response r;
  auto& reply = r.reply.emplace();
  reply.text = std::vector<std::string>{"Escolha um modelo"};
  reply.response_type =
      OpenEnum<chathooks::cliengo::ResponseType>(chathooks::cliengo::ResponseType::list);
  reply.response_options = std::vector<std::string>{"Model 3", "Model Y"};
  reply.stop_chat = false;
  CHECK(chathooks::cliengo::encode(r) ==
        R"({"response":{"text":["Escolha um modelo"],"response_type":"LIST",)"
        R"("response_options":["Model 3","Model Y"],"stopChat":false}})");

  // A text no document lists, given as text, is written as given.
  reply.response_type = OpenEnum<chathooks::cliengo::ResponseType>(std::string("Date"));
  CHECK(chathooks::cliengo::encode(r).find(R"("response_type":"Date")") != std::string::npos);

  chathooks::boticario::EventFields e;
  auto& info = e.event.emplace();
  info.type = OpenEnum<chathooks::boticario::EventType>(chathooks::boticario::EventType::status);
  info.status =
      OpenEnum<chathooks::boticario::DeliveryStatus>(chathooks::boticario::DeliveryStatus::read);
  auto stamp = Timestamp::parse("2020-01-09T19:35:36.639-03:00");
  REQUIRE(stamp.ok());
  e.message.emplace().updated_at = *stamp;
  const std::string encoded = chathooks::boticario::encode(e);
  CHECK(encoded == R"({"event":{"type":"status","status":"read"},)"
                   R"("message":{"updatedAt":"2020-01-09T19:35:36.639-03:00"}})");
  auto back = chathooks::boticario::decode_event(encoded);
  REQUIRE(back.ok());
  REQUIRE(std::holds_alternative<chathooks::boticario::StatusEvent>(*back));
  CHECK(std::get<chathooks::boticario::StatusEvent>(*back).status() ==
        chathooks::boticario::DeliveryStatus::read);
  CHECK(chathooks::boticario::encode(*back) == encoded);
}

TEST_CASE("An UnknownEvent built in code is written as its payload", "[codec][encode]") {
  chathooks::boticario::UnknownEvent u;
  u.payload["event"]["type"] = "reaction";
  u.payload["n"] = std::uint64_t{18446744073709551615u};
  const chathooks::boticario::Event event = u;
  CHECK(chathooks::boticario::encode(event) ==
        R"({"event":{"type":"reaction"},"n":18446744073709551615})");
}

TEST_CASE("Strings with control characters, quotes and NUL are escaped and read back",
          "[codec][encode]") {
  chathooks::flw::Response r;
  const std::string tricky = std::string("linha 1\nlinha 2\t\"aspas\" \\ \x01 fim") + '\0' + "!";
  r.messages.emplace().emplace_back().text = tricky;
  const std::string encoded = chathooks::flw::encode(r);
  CHECK(encoded.find('\n') == std::string::npos);
  auto back = chathooks::flw::decode_response(encoded);
  REQUIRE(back.ok());
  CHECK((*back->messages)[0].text == tricky);
}
