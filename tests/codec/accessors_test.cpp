// The accessors of the three payloads (boticario::text(event), flw::contact_name(dispatch),
// cliengo::visitor_name(memory), ...): on the documented vectors each returns the documented
// value; an absent or null member, or an absent or null object on its path, gives nullptr (an
// empty OpenEnum for boticario::status); the fallbacks (clientData.number then message.from,
// sessionId then session.id, international then national phone) apply only when the first
// member has no value; an UnknownEvent gives nothing but its type. The README's "Reading common
// values" blocks are quoted from the test case at the end.
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "codec_test_support.hpp"

namespace boticario = chathooks::boticario;
namespace cliengo = chathooks::cliengo;
namespace flw = chathooks::flw;
using chathooks::Json;
using codec_test::erase_at;
using codec_test::load_json;
using codec_test::load_vector;
using codec_test::set_at;

namespace {

boticario::Event decode_event_ok(std::string_view json) {
  auto decoded = boticario::decode_event(json);
  if (!decoded) FAIL("decode failed: " << decoded.error().to_string());
  return std::move(decoded).value();
}
flw::Dispatch decode_dispatch_ok(std::string_view json) {
  auto decoded = flw::decode_dispatch(json);
  if (!decoded) FAIL("decode failed: " << decoded.error().to_string());
  return std::move(decoded).value();
}
flw::Response decode_flw_response_ok(std::string_view json) {
  auto decoded = flw::decode_response(json);
  if (!decoded) FAIL("decode failed: " << decoded.error().to_string());
  return std::move(decoded).value();
}
cliengo::Memory decode_memory_ok(std::string_view json) {
  auto decoded = cliengo::decode_memory(json);
  if (!decoded) FAIL("decode failed: " << decoded.error().to_string());
  return std::move(decoded).value();
}
cliengo::Response decode_cliengo_response_ok(std::string_view json) {
  auto decoded = cliengo::decode_response(json);
  if (!decoded) FAIL("decode failed: " << decoded.error().to_string());
  return std::move(decoded).value();
}

// A vector with the member at `pointer` removed, or set to null.
Json without(Json doc, std::string_view pointer) {
  erase_at(doc, pointer);
  return doc;
}
Json nulled(Json doc, std::string_view pointer) {
  set_at(doc, pointer, nullptr);
  return doc;
}

// "Holds a value equal to `expected`": a readable CHECK for the pointer accessors.
bool is(const std::string* actual, std::string_view expected) {
  return actual != nullptr && *actual == expected;
}

// Whether boticario::text accepts an argument of type T (the Event&& overload is deleted, so a
// temporary Event, or an alternative that would convert to one, is refused at compile time).
template <class T, class = void>
struct text_accepts : std::false_type {};
template <class T>
struct text_accepts<T, std::void_t<decltype(boticario::text(std::declval<T>()))>> : std::true_type {
};
static_assert(text_accepts<const boticario::Event&>::value);
static_assert(text_accepts<boticario::Event&>::value);
static_assert(!text_accepts<boticario::Event>::value, "a temporary Event would dangle");
static_assert(!text_accepts<const boticario::MessageEvent&>::value,
              "a MessageEvent would convert to a temporary Event");

const char* const kStatusVectors[] = {
    "boticario_status_sent.json", "boticario_status_delivered.json", "boticario_status_read.json"};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Grupo Boticário

TEST_CASE("accessors: Boticario message event vector", "[codec][accessors][boticario]") {
  const boticario::Event event = decode_event_ok(load_vector("boticario_message_event.json"));
  CHECK(is(boticario::text(event), "Mensagem de teste"));
  CHECK(is(boticario::sender_number(event), "+5544999999999"));  // clientData.number
  CHECK(is(boticario::contact_name(event), "Maria da Silva"));
  CHECK(is(boticario::message_id(event), "i3i4321d"));  // event.messageId
  CHECK(boticario::status(event).text().empty());       // a message event has no event.status
  CHECK(boticario::status(event).kind() == boticario::DeliveryStatus::unknown);
  CHECK(boticario::event_type(event) == boticario::EventType::response);
  CHECK(is(boticario::type_name(event), "response"));

  // The same through the members of the alternative, pointing at the same strings.
  REQUIRE(std::holds_alternative<boticario::MessageEvent>(event));
  const auto& message = std::get<boticario::MessageEvent>(event);
  CHECK(message.text() == boticario::text(event));
  CHECK(message.text() == message.message->text.get());
  CHECK(message.sender_number() == message.client_data->number.get());
  CHECK(message.contact_name() == message.client_data->name.get());
  CHECK(message.message_id() == message.event->message_id.get());

  // Found through ADL too.
  CHECK(text(event) == boticario::text(event));
}

TEST_CASE("accessors: Boticario status event vectors", "[codec][accessors][boticario]") {
  const boticario::DeliveryStatus expected[] = {boticario::DeliveryStatus::sent,
                                                boticario::DeliveryStatus::delivered,
                                                boticario::DeliveryStatus::read};
  for (std::size_t i = 0; i < 3; ++i) {
    INFO(kStatusVectors[i]);
    const boticario::Event event = decode_event_ok(load_vector(kStatusVectors[i]));
    CHECK(boticario::status(event) == expected[i]);
    CHECK(boticario::status(event) == std::get<boticario::StatusEvent>(event).status());
    CHECK(is(boticario::text(event), "Mensagem de teste"));
    CHECK(is(boticario::sender_number(event), "+554188956674"));  // no clientData: message.from
    CHECK(boticario::contact_name(event) == nullptr);
    CHECK(is(boticario::message_id(event), "i3i4321d"));
    CHECK(boticario::event_type(event) == boticario::EventType::status);
    CHECK(is(boticario::type_name(event), "status"));
    const auto& status = std::get<boticario::StatusEvent>(event);
    CHECK(status.sender_number() == status.message->from.get());
  }
}

TEST_CASE("accessors: Boticario absent and null members give nullptr",
          "[codec][accessors][boticario]") {
  const Json doc = load_json("boticario_message_event.json");
  // Each accessor with the members it reads, one at a time removed or null (the fallback
  // members removed too, so that nothing is left to read).
  struct Case {
    const char* name;
    const std::string* (*read)(const boticario::Event&) noexcept;
    std::vector<std::string> pointers;  // what the accessor reads, in order
  };
  const std::vector<Case> cases = {
      {"text", &boticario::text, {"/message/message"}},
      {"sender_number", &boticario::sender_number, {"/clientData/number", "/message/from"}},
      {"contact_name", &boticario::contact_name, {"/clientData/name"}},
      {"message_id", &boticario::message_id, {"/event/messageId", "/message/messageId"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Json absent = doc;
    Json null = doc;
    for (const std::string& pointer : c.pointers) {
      absent = without(absent, pointer);
      null = nulled(null, pointer);
    }
    CHECK(c.read(decode_event_ok(absent.dump())) == nullptr);
    CHECK(c.read(decode_event_ok(null.dump())) == nullptr);
  }

  // A whole object on the path absent or null.
  for (const char* object : {"/message", "/clientData"}) {
    INFO(object);
    for (const Json& edited : {without(doc, object), nulled(doc, object)}) {
      const boticario::Event event = decode_event_ok(edited.dump());
      const bool has_message = std::string(object) != "/message";
      CHECK((boticario::text(event) != nullptr) == has_message);
      // Without clientData, message.from; without message, clientData.number.
      CHECK(is(boticario::sender_number(event), has_message ? "+554188956674" : "+5544999999999"));
      CHECK((boticario::contact_name(event) != nullptr) == !has_message);
    }
  }
  const boticario::Event bare = decode_event_ok(R"({"event":{"type":"response"}})");
  CHECK(boticario::text(bare) == nullptr);
  CHECK(boticario::sender_number(bare) == nullptr);
  CHECK(boticario::contact_name(bare) == nullptr);
  CHECK(boticario::message_id(bare) == nullptr);
  CHECK(boticario::status(bare).text().empty());
  CHECK(is(boticario::type_name(bare), "response"));

  // event.status null on a status event: the empty OpenEnum.
  Json status_doc = load_json("boticario_status_read.json");
  const boticario::Event null_status = decode_event_ok(nulled(status_doc, "/event/status").dump());
  CHECK(boticario::status(null_status).text().empty());
  CHECK(boticario::status(null_status) != boticario::DeliveryStatus::read);
}

TEST_CASE("accessors: Boticario fallbacks apply only when the first member has no value",
          "[codec][accessors][boticario]") {
  const Json doc = load_json("boticario_message_event.json");
  // clientData.number absent or null: message.from.
  for (const Json& edited :
       {without(doc, "/clientData/number"), nulled(doc, "/clientData/number")}) {
    const boticario::Event event = decode_event_ok(edited.dump());
    CHECK(is(boticario::sender_number(event), "+554188956674"));
  }
  // event.messageId absent or null: message.messageId.
  for (const Json& edited : {without(doc, "/event/messageId"), nulled(doc, "/event/messageId")}) {
    const boticario::Event event = decode_event_ok(edited.dump());
    CHECK(is(boticario::message_id(event), "5e178088a88ad9001b6e1914"));
  }
  // An empty string is a value: no fallback.
  Json empty = doc;
  set_at(empty, "/clientData/number", "");
  const boticario::Event empty_number = decode_event_ok(empty.dump());
  CHECK(is(boticario::sender_number(empty_number), ""));
}

TEST_CASE("accessors: a Boticario UnknownEvent gives only its type",
          "[codec][accessors][boticario]") {
  // Members named like the documented ones are not read from an event of an unknown type.
  const boticario::Event event =
      decode_event_ok(R"({"event":{"messageId":"m1","type":"reaction","status":"read"},)"
                      R"("clientData":{"number":"+5544999999999","name":"Maria"},)"
                      R"("message":{"messageId":"5e17","message":"oi","from":"+554188956674"}})");
  REQUIRE(std::holds_alternative<boticario::UnknownEvent>(event));
  CHECK(boticario::text(event) == nullptr);
  CHECK(boticario::sender_number(event) == nullptr);
  CHECK(boticario::contact_name(event) == nullptr);
  CHECK(boticario::message_id(event) == nullptr);
  CHECK(boticario::status(event).text().empty());
  CHECK(boticario::event_type(event) == boticario::EventType::unknown);
  CHECK(is(boticario::type_name(event), "reaction"));

  const boticario::Event empty_type = decode_event_ok(R"({"event":{"type":""}})");
  CHECK(is(boticario::type_name(empty_type), ""));
  // Built in code with a type that is not a string, or no type at all.
  boticario::Event odd = boticario::UnknownEvent{Json::object()};
  std::get<boticario::UnknownEvent>(odd).payload["event"]["type"] = 7;
  CHECK(boticario::type_name(odd) == nullptr);
  const boticario::Event no_type = boticario::UnknownEvent{};
  CHECK(boticario::type_name(no_type) == nullptr);
}

// ---------------------------------------------------------------------------------------------
// Flw

TEST_CASE("accessors: Flw dispatch vector", "[codec][accessors][flw]") {
  const flw::Dispatch dispatch = decode_dispatch_ok(load_vector("flw_dispatch.json"));
  CHECK(is(flw::session_id(dispatch), "567ca9b8-eaa9-4a33-8cf9-d2c67060af74"));
  CHECK(flw::session_id(dispatch) == dispatch.session_id.get());  // sessionId first
  CHECK(is(flw::contact_name(dispatch), "David"));
  CHECK(is(flw::contact_phone(dispatch), "+55|1199999999"));
  CHECK(is(flw::contact_email(dispatch), "email@gmail.com"));
  const Json* cnpj = flw::custom_field(dispatch, "cnpj");
  REQUIRE(cnpj != nullptr);
  CHECK(is(cnpj->get_string(), "00.000.000/0000-00"));
  CHECK(flw::custom_field(dispatch, "cpf") == nullptr);
  CHECK(flw::custom_field(dispatch, "name") == nullptr);  // a documented member, not custom
  CHECK(flw::last_message_text(dispatch) == nullptr);     // "text": null (an image)
  CHECK(is(flw::last_message_file_url(dispatch),
           "https://cdn.flw.chat/upload/88fb5de-0cc2-4209-b456-47b454ee6e14/IMAGE/"
           "c40e85e_20240627190923197_436019626068697.jpg?AWSAccessKeyId=XXXX"));
  CHECK(is(flw::question_answer(dispatch, "cb-ec36e3fe-qst-c0b0875a"), "00.000.000/0000-00"));
  CHECK(is(flw::menu_answer(dispatch, "cb-ec36e3fe-mn-943b055a"), "Comprar"));
  CHECK(flw::question_answer(dispatch, "cb-ec36e3fe-mn-943b055a") == nullptr);  // a menu id
  CHECK(flw::menu_answer(dispatch, "cb-ec36e3fe-qst-c0b0875a") == nullptr);     // a question id
}

TEST_CASE("accessors: Flw absent and null members give nullptr", "[codec][accessors][flw]") {
  const Json doc = load_json("flw_dispatch.json");
  using Read = const std::string* (*)(const flw::Dispatch&) noexcept;
  struct Case {
    const char* name;
    Read read;
    std::vector<std::string> pointers;
  };
  const std::vector<Case> cases = {
      {"session_id", &flw::session_id, {"/sessionId", "/session/id"}},
      {"contact_name", &flw::contact_name, {"/contact/name"}},
      {"contact_phone", &flw::contact_phone, {"/contact/phonenumber"}},
      {"contact_email", &flw::contact_email, {"/contact/email"}},
      {"last_message_file_url", &flw::last_message_file_url, {"/lastMessage/file/publicUrl"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Json absent = doc;
    Json null = doc;
    for (const std::string& pointer : c.pointers) {
      absent = without(absent, pointer);
      null = nulled(null, pointer);
    }
    CHECK(c.read(decode_dispatch_ok(absent.dump())) == nullptr);
    CHECK(c.read(decode_dispatch_ok(null.dump())) == nullptr);
  }
  // The objects on the paths.
  for (const Json& edited : {without(doc, "/contact"), nulled(doc, "/contact")}) {
    const flw::Dispatch d = decode_dispatch_ok(edited.dump());
    CHECK(flw::contact_name(d) == nullptr);
    CHECK(flw::contact_phone(d) == nullptr);
    CHECK(flw::contact_email(d) == nullptr);
    CHECK(flw::custom_field(d, "cnpj") == nullptr);
  }
  for (const Json& edited : {without(doc, "/lastMessage/file"), nulled(doc, "/lastMessage"),
                             without(doc, "/lastMessage")}) {
    const flw::Dispatch d = decode_dispatch_ok(edited.dump());
    CHECK(flw::last_message_text(d) == nullptr);
    CHECK(flw::last_message_file_url(d) == nullptr);
  }
  const std::string question = "cb-ec36e3fe-qst-c0b0875a";
  const std::string menu = "cb-ec36e3fe-mn-943b055a";
  for (const Json& edited :
       {nulled(doc, "/questions/" + question), without(doc, "/questions/" + question + "/answer"),
        nulled(doc, "/questions/" + question + "/answer"), nulled(doc, "/questions"),
        without(doc, "/questions")}) {
    const flw::Dispatch dispatch = decode_dispatch_ok(edited.dump());
    CHECK(flw::question_answer(dispatch, question) == nullptr);
  }
  for (const Json& edited : {nulled(doc, "/menus/" + menu), nulled(doc, "/menus"),
                             nulled(doc, "/menus/" + menu + "/answer")}) {
    const flw::Dispatch dispatch = decode_dispatch_ok(edited.dump());
    CHECK(flw::menu_answer(dispatch, menu) == nullptr);
  }
  // A null custom field is there, holding null.
  const flw::Dispatch null_cnpj_dispatch = decode_dispatch_ok(nulled(doc, "/contact/cnpj").dump());
  const Json* null_cnpj = flw::custom_field(null_cnpj_dispatch, "cnpj");
  REQUIRE(null_cnpj != nullptr);
  CHECK(null_cnpj->is_null());

  const flw::Dispatch empty = decode_dispatch_ok("{}");
  CHECK(flw::session_id(empty) == nullptr);
  CHECK(flw::contact_name(empty) == nullptr);
  CHECK(flw::custom_field(empty, "cnpj") == nullptr);
  CHECK(flw::last_message_text(empty) == nullptr);
  CHECK(flw::question_answer(empty, question) == nullptr);
  CHECK(flw::menu_answer(empty, menu) == nullptr);
}

TEST_CASE("accessors: Flw fallbacks and texts", "[codec][accessors][flw]") {
  const Json doc = load_json("flw_dispatch.json");
  // sessionId absent or null: session.id (here the same text, at its own address).
  for (const Json& edited : {without(doc, "/sessionId"), nulled(doc, "/sessionId")}) {
    const flw::Dispatch d = decode_dispatch_ok(edited.dump());
    CHECK(is(flw::session_id(d), "567ca9b8-eaa9-4a33-8cf9-d2c67060af74"));
    CHECK(flw::session_id(d) == d.session->id.get());
  }
  Json text = doc;
  set_at(text, "/lastMessage/text", "quero comprar");
  const flw::Dispatch with_text = decode_dispatch_ok(text.dump());
  CHECK(is(flw::last_message_text(with_text), "quero comprar"));
}

TEST_CASE("accessors: Flw response message texts", "[codec][accessors][flw]") {
  const flw::Response messages = decode_flw_response_ok(load_vector("flw_response_messages.json"));
  CHECK(flw::message_texts(messages) ==
        std::vector<std::string>{"Segue seu boleto abaixo para pagamento. Vencimento dia 10/01"});
  CHECK(flw::message_texts(*messages.messages) == flw::message_texts(messages));
  CHECK(
      flw::message_texts(decode_flw_response_ok(load_vector("flw_response_simple.json"))).empty());
  CHECK(flw::message_texts(decode_flw_response_ok(R"({"messages":null})")).empty());
  const flw::Response mixed = decode_flw_response_ok(
      R"({"messages":[{"text":"a"},{"text":null},{"fileUrl":"u"},{"text":"b","fileUrl":"v"}]})");
  CHECK(flw::message_texts(mixed) == std::vector<std::string>{"a", "b"});
}

// ---------------------------------------------------------------------------------------------
// Cliengo

TEST_CASE("accessors: Cliengo memory vector", "[codec][accessors][cliengo]") {
  const cliengo::Memory memory = decode_memory_ok(load_vector("cliengo_request.json"));
  CHECK(is(cliengo::visitor_name(memory), "ariel"));
  CHECK(is(cliengo::visitor_email(memory), "[email\xC2\xA0protected]"));
  CHECK(is(cliengo::visitor_phone(memory), "+541138152222"));  // international_format
  CHECK(is(cliengo::last_visitor_text(memory),
           "Hi! I'm Ariel, my email is [email\xC2\xA0protected]"));
  CHECK(is(cliengo::conversation_id(memory), "5f0cbe62162e0dec1910d197"));
  const Json* custom = cliengo::custom_value(memory, "custom_field");
  REQUIRE(custom != nullptr);
  CHECK(is(custom->get_string(), "example"));
  CHECK(cliengo::custom_value(memory, "other") == nullptr);
}

TEST_CASE("accessors: Cliengo absent and null members give nullptr",
          "[codec][accessors][cliengo]") {
  const Json doc = load_json("cliengo_request.json");
  using Read = const std::string* (*)(const cliengo::Memory&) noexcept;
  struct Case {
    const char* name;
    Read read;
    std::vector<std::string> pointers;
  };
  const std::vector<Case> cases = {
      {"visitor_name", &cliengo::visitor_name, {"/collected_data/name/value"}},
      {"visitor_email", &cliengo::visitor_email, {"/collected_data/email/value"}},
      {"visitor_phone",
       &cliengo::visitor_phone,
       {"/collected_data/phone/international_format", "/collected_data/phone/national_format"}},
      {"conversation_id", &cliengo::conversation_id, {"/conversationId"}},
      {"last_visitor_text", &cliengo::last_visitor_text, {"/chat_log/0/text"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    Json absent = doc;
    Json null = doc;
    for (const std::string& pointer : c.pointers) {
      absent = without(absent, pointer);
      null = nulled(null, pointer);
    }
    CHECK(c.read(decode_memory_ok(absent.dump())) == nullptr);
    CHECK(c.read(decode_memory_ok(null.dump())) == nullptr);
  }
  for (const char* object : {"/collected_data/name", "/collected_data/email",
                             "/collected_data/phone", "/collected_data"}) {
    INFO(object);
    for (const Json& edited : {without(doc, object), nulled(doc, object)}) {
      const cliengo::Memory m = decode_memory_ok(edited.dump());
      const std::string path(object);
      CHECK((cliengo::visitor_name(m) == nullptr) ==
            (path == "/collected_data/name" || path == "/collected_data"));
      CHECK((cliengo::visitor_email(m) == nullptr) ==
            (path == "/collected_data/email" || path == "/collected_data"));
      CHECK((cliengo::visitor_phone(m) == nullptr) ==
            (path == "/collected_data/phone" || path == "/collected_data"));
      CHECK((cliengo::custom_value(m, "custom_field") == nullptr) == (path == "/collected_data"));
    }
  }
  for (const Json& edited : {without(doc, "/chat_log"), nulled(doc, "/chat_log")}) {
    const cliengo::Memory memory = decode_memory_ok(edited.dump());
    CHECK(cliengo::last_visitor_text(memory) == nullptr);
  }
  const cliengo::Memory no_custom = decode_memory_ok(nulled(doc, "/collected_data/custom").dump());
  CHECK(cliengo::custom_value(no_custom, "custom_field") == nullptr);

  const cliengo::Memory empty = decode_memory_ok("{}");
  CHECK(cliengo::visitor_name(empty) == nullptr);
  CHECK(cliengo::visitor_email(empty) == nullptr);
  CHECK(cliengo::visitor_phone(empty) == nullptr);
  CHECK(cliengo::last_visitor_text(empty) == nullptr);
  CHECK(cliengo::conversation_id(empty) == nullptr);
  CHECK(cliengo::custom_value(empty, "custom_field") == nullptr);
}

TEST_CASE("accessors: Cliengo phone fallback and the visitor's last message",
          "[codec][accessors][cliengo]") {
  const Json doc = load_json("cliengo_request.json");
  for (const Json& edited : {without(doc, "/collected_data/phone/international_format"),
                             nulled(doc, "/collected_data/phone/international_format")}) {
    const cliengo::Memory memory = decode_memory_ok(edited.dump());
    CHECK(is(cliengo::visitor_phone(memory), "011 3815-2222"));
  }

  const auto last = [](const char* chat_log) {
    Json edited = load_json("cliengo_request.json");
    set_at(edited, "/chat_log", codec_test::parse_json(chat_log));
    const cliengo::Memory m = decode_memory_ok(edited.dump());
    const std::string* text = cliengo::last_visitor_text(m);
    return text != nullptr ? std::optional<std::string>(*text) : std::nullopt;
  };
  // The last of the visitor's entries, whatever the bot said after it.
  CHECK(last(R"([{"sender":"visitor","text":"one"},{"sender":"chatbot","text":"?"},)"
             R"({"sender":"visitor","text":"two"},{"sender":"chatbot","text":"ok"}])") == "two");
  // Senders are matched as the OpenEnum matches them (ASCII case-insensitively).
  CHECK(last(R"([{"sender":"VISITOR","text":"loud"}])") == "loud");
  // The visitor's last entry without a text: nothing (an earlier text is not what they said
  // last).
  CHECK(last(R"([{"sender":"visitor","text":"one"},{"sender":"visitor","text":null}])") ==
        std::nullopt);
  CHECK(last(R"([{"sender":"visitor","text":"one"},{"sender":"visitor"}])") == std::nullopt);
  // No entry of the visitor's, or none at all.
  CHECK(last(R"([{"sender":"chatbot","text":"hello"},{"text":"no sender"}])") == std::nullopt);
  CHECK(last("[]") == std::nullopt);
}

TEST_CASE("accessors: Cliengo response vector", "[codec][accessors][cliengo]") {
  const cliengo::Response response =
      decode_cliengo_response_ok(load_vector("cliengo_response.json"));
  CHECK(is(cliengo::visitor_name(response), "Juan Roman"));
  CHECK(is(cliengo::visitor_email(response), "juan@example.com"));
  CHECK(is(cliengo::visitor_phone(response), "12343132112"));
  const Json* user_type = cliengo::custom_value(response, "userType");
  REQUIRE(user_type != nullptr);
  CHECK(is(user_type->get_string(), "advanced"));
  CHECK(cliengo::custom_value(response, "thing3") == nullptr);
  const std::vector<std::string>* texts = cliengo::reply_texts(response);
  REQUIRE(texts != nullptr);
  CHECK(*texts == std::vector<std::string>{"Ok", "What model are you interested in?"});

  const Json doc = load_json("cliengo_response.json");
  const cliengo::Response national =
      decode_cliengo_response_ok(nulled(doc, "/phone/international_format").dump());
  CHECK(is(cliengo::visitor_phone(national), "1234542123"));
  for (const char* json : {"{}", R"({"name":null,"email":{},"phone":null,"custom":null,)"
                                 R"("response":{"text":null}})"}) {
    INFO(json);
    const cliengo::Response empty = decode_cliengo_response_ok(json);
    CHECK(cliengo::visitor_name(empty) == nullptr);
    CHECK(cliengo::visitor_email(empty) == nullptr);
    CHECK(cliengo::visitor_phone(empty) == nullptr);
    CHECK(cliengo::custom_value(empty, "userType") == nullptr);
    CHECK(cliengo::reply_texts(empty) == nullptr);
  }
}

// ---------------------------------------------------------------------------------------------
// The README's "Reading common values": each block between the markers is quoted there.

TEST_CASE("accessors: the README's examples", "[codec][accessors][readme]") {
  {
    const boticario::Event event = decode_event_ok(load_vector("boticario_message_event.json"));
    // README boticario begin
    const std::string* said = boticario::text(event);           // message.message
    const std::string* from = boticario::sender_number(event);  // clientData.number, message.from
    const std::string* name = boticario::contact_name(event);   // clientData.name
    const bool read = boticario::status(event) == boticario::DeliveryStatus::read;
    // README boticario end
    CHECK(is(said, "Mensagem de teste"));
    CHECK(is(from, "+5544999999999"));
    CHECK(is(name, "Maria da Silva"));
    CHECK_FALSE(read);
  }
  {
    const flw::Dispatch dispatch = decode_dispatch_ok(load_vector("flw_dispatch.json"));
    // README flw begin
    const std::string* name = flw::contact_name(dispatch);       // contact.name
    const std::string* phone = flw::contact_phone(dispatch);     // contact.phonenumber
    const std::string* said = flw::last_message_text(dispatch);  // lastMessage.text
    const Json* cnpj = flw::custom_field(dispatch, "cnpj");      // contact.cnpj
    const std::string* answer = flw::question_answer(dispatch, "cb-ec36e3fe-qst-c0b0875a");
    // README flw end
    CHECK(is(name, "David"));
    CHECK(is(phone, "+55|1199999999"));
    CHECK(said == nullptr);  // the last message is an image
    REQUIRE(cnpj != nullptr);
    CHECK(is(cnpj->get_string(), "00.000.000/0000-00"));
    CHECK(is(answer, "00.000.000/0000-00"));
  }
  {
    const cliengo::Memory memory = decode_memory_ok(load_vector("cliengo_request.json"));
    // README cliengo begin
    const std::string* name = cliengo::visitor_name(memory);       // collected_data.name.value
    const std::string* phone = cliengo::visitor_phone(memory);     // phone.international_format
    const std::string* said = cliengo::last_visitor_text(memory);  // the visitor's, in chat_log
    const Json* value = cliengo::custom_value(memory, "custom_field");  // collected_data.custom
    // README cliengo end
    CHECK(is(name, "ariel"));
    CHECK(is(phone, "+541138152222"));
    CHECK(is(said, "Hi! I'm Ariel, my email is [email\xC2\xA0protected]"));
    REQUIRE(value != nullptr);
    CHECK(is(value->get_string(), "example"));
  }
}
