// Grupo Boticario events: the documented message event and the three status events decode to
// the right alternative with the documented values; event types no document lists decode to
// UnknownEvent keeping the whole payload, whatever its shape; a missing type is an error.
#include <string>
#include <variant>

#include "catch.hpp"
#include "chathooks/boticario/codec.hpp"
#include "codec_test_support.hpp"

using chathooks::Errc;
using chathooks::Json;
using chathooks::boticario::decode_event;
using chathooks::boticario::DeliveryStatus;
using chathooks::boticario::encode;
using chathooks::boticario::Event;
using chathooks::boticario::EventFields;
using chathooks::boticario::EventType;
using chathooks::boticario::MediaType;
using chathooks::boticario::MessageEvent;
using chathooks::boticario::MessageStatus;
using chathooks::boticario::StatusEvent;
using chathooks::boticario::UnknownEvent;
using codec_test::check_error;
using codec_test::load_json;
using codec_test::load_vector;
using codec_test::parse_json;
using codec_test::require_error;
using codec_test::set_at;

namespace {

Event decode_ok(std::string_view json) {
  auto decoded = decode_event(json);
  if (!decoded) FAIL("decode failed: " << decoded.error().to_string());
  return std::move(decoded).value();
}

// The `message` member shared by the four vectors.
void check_documented_message(const EventFields& e) {
  REQUIRE(e.message.has_value());
  const auto& m = *e.message;
  CHECK(m.message_id == std::string("5e178088a88ad9001b6e1914"));
  CHECK(m.context_id == std::string("5e1789d9e73be8001ba18830"));
  CHECK(m.interactions_id == std::string("0398634d-5a10-4118-b44f-02d26f3a773a"));
  REQUIRE(m.media_type.has_value());
  CHECK(m.media_type->kind() == MediaType::document);
  CHECK(m.media_type->text() == "document");
  CHECK(m.text == std::string("Mensagem de teste"));
  REQUIRE(m.media_data.has_value());
  CHECK(m.media_data->link == std::string("http://linkteste.com/doc.pdf"));
  CHECK(m.media_data->caption == std::string("Descrição da midia"));
  CHECK(m.media_data->filename == std::string("nome-arquivo.pdf"));
  CHECK(m.to == std::string("+5544999027914"));
  CHECK(m.from == std::string("+554188956674"));
  CHECK(m.app_id == std::string("5e138ee5d53f5b001b96fa54"));
  REQUIRE(m.status.has_value());
  CHECK(m.status->kind() == MessageStatus::stored);
  REQUIRE(m.created_at.has_value());
  CHECK(m.created_at->text() == "2020-01-09T19:35:36.639Z");
  CHECK(m.created_at->nanoseconds() == 639000000u);
  REQUIRE(m.updated_at.has_value());
  CHECK(m.updated_at->text() == "2020-01-09T20:19:44.942Z");
  CHECK(m.extra.empty());
}

}  // namespace

TEST_CASE("Boticario message event vector", "[codec][boticario][vector]") {
  const std::string input = load_vector("boticario_message_event.json");
  const Event event = decode_ok(input);
  REQUIRE(std::holds_alternative<MessageEvent>(event));
  const auto& e = std::get<MessageEvent>(event);

  REQUIRE(e.event.has_value());
  CHECK(e.event->message_id == std::string("i3i4321d"));
  REQUIRE(e.event->type.has_value());
  CHECK(e.event->type->kind() == EventType::response);
  CHECK(e.event->type->text() == "response");
  CHECK(e.event->status.is_absent());

  REQUIRE(e.client_data.has_value());
  CHECK(e.client_data->number == std::string("+5544999999999"));
  CHECK(e.client_data->name == std::string("Maria da Silva"));
  REQUIRE(e.client_data->time_last_message.has_value());
  CHECK(e.client_data->time_last_message->text() == "2020-06-18T17:07:51.271Z");

  check_documented_message(e);
  CHECK(e.extra.empty());

  const std::string encoded = encode(event);
  codec_test::check_same_json(input, encoded);
  CHECK(encode(static_cast<const EventFields&>(e)) == encoded);
}

TEST_CASE("Boticario status event vectors", "[codec][boticario][vector]") {
  const struct {
    const char* file;
    DeliveryStatus status;
    const char* text;
  } cases[] = {
      {"boticario_status_sent.json", DeliveryStatus::sent, "sent"},
      {"boticario_status_delivered.json", DeliveryStatus::delivered, "delivered"},
      {"boticario_status_read.json", DeliveryStatus::read, "read"},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    const std::string input = load_vector(c.file);
    const Event event = decode_ok(input);
    REQUIRE(std::holds_alternative<StatusEvent>(event));
    const auto& e = std::get<StatusEvent>(event);
    CHECK(e.event->message_id == std::string("i3i4321d"));
    CHECK(e.event->type->kind() == EventType::status);
    CHECK(e.status().kind() == c.status);
    CHECK(e.status().text() == c.text);
    CHECK(e.status() == c.status);
    CHECK(e.client_data.is_absent());
    check_documented_message(e);
    codec_test::check_same_json(input, encode(event));
  }
}

TEST_CASE("Boticario status(): unknown, null and absent statuses", "[codec][boticario][enums]") {
  Json doc = load_json("boticario_status_read.json");
  set_at(doc, "/event/status", "failed");
  Event event = decode_ok(doc.dump());
  REQUIRE(std::holds_alternative<StatusEvent>(event));
  CHECK(std::get<StatusEvent>(event).status().kind() == DeliveryStatus::unknown);
  CHECK(std::get<StatusEvent>(event).status().text() == "failed");
  CHECK(encode(event).find("\"status\":\"failed\"") != std::string::npos);

  set_at(doc, "/event/status", "DELIVERED");
  event = decode_ok(doc.dump());
  CHECK(std::get<StatusEvent>(event).status().kind() == DeliveryStatus::delivered);
  CHECK(std::get<StatusEvent>(event).status().text() == "DELIVERED");
  CHECK(encode(event).find("\"status\":\"DELIVERED\"") != std::string::npos);

  set_at(doc, "/event/status", nullptr);
  event = decode_ok(doc.dump());
  const auto& with_null = std::get<StatusEvent>(event);
  CHECK(with_null.event->status.is_null());
  CHECK(with_null.status().kind() == DeliveryStatus::unknown);
  CHECK(with_null.status().text().empty());
  CHECK(encode(event).find("\"status\":null") != std::string::npos);

  codec_test::erase_at(doc, "/event/status");
  event = decode_ok(doc.dump());
  CHECK(std::get<StatusEvent>(event).event->status.is_absent());
  CHECK(std::get<StatusEvent>(event).status().text().empty());
  codec_test::check_same_json(doc.dump(), encode(event));
}

TEST_CASE("Boticario: event types in another case still classify", "[codec][boticario][enums]") {
  Json doc = load_json("boticario_status_sent.json");
  set_at(doc, "/event/type", "STATUS");
  Event event = decode_ok(doc.dump());
  REQUIRE(std::holds_alternative<StatusEvent>(event));
  CHECK(std::get<StatusEvent>(event).event->type->text() == "STATUS");
  CHECK(encode(event).find("\"type\":\"STATUS\"") != std::string::npos);

  doc = load_json("boticario_message_event.json");
  set_at(doc, "/event/type", "Response");
  set_at(doc, "/message/mediaType", "IMAGE");
  event = decode_ok(doc.dump());
  REQUIRE(std::holds_alternative<MessageEvent>(event));
  CHECK(std::get<MessageEvent>(event).message->media_type->kind() == MediaType::image);
  CHECK(std::get<MessageEvent>(event).message->media_type->text() == "IMAGE");
  codec_test::check_same_json(doc.dump(), encode(event));
}

TEST_CASE("Boticario: media types and message statuses no document lists are kept",
          "[codec][boticario][enums]") {
  Json doc = load_json("boticario_message_event.json");
  set_at(doc, "/message/mediaType", "location");
  set_at(doc, "/message/status", "deleted");
  const Event event = decode_ok(doc.dump());
  const auto& m = *std::get<MessageEvent>(event).message;
  CHECK(m.media_type->kind() == MediaType::unknown);
  CHECK(m.media_type->text() == "location");
  CHECK(m.status->kind() == MessageStatus::unknown);
  CHECK(m.status->text() == "deleted");
  const std::string encoded = encode(event);
  CHECK(encoded.find("\"mediaType\":\"location\"") != std::string::npos);
  CHECK(encoded.find("\"status\":\"deleted\"") != std::string::npos);
}

TEST_CASE("Boticario: an unknown event type keeps the whole payload", "[codec][boticario]") {
  const std::string input =
      R"({"event":{"messageId":"m1","type":"reaction","emoji":"👍"},)"
      R"("reaction":{"to":"5e17","by":"+5544999999999"},"n":18446744073709551615,"z":null})";
  const Event event = decode_ok(input);
  REQUIRE(std::holds_alternative<UnknownEvent>(event));
  const auto& u = std::get<UnknownEvent>(event);
  CHECK(u.type() == "reaction");
  CHECK(u.payload == parse_json(input));
  REQUIRE(u.payload.at_pointer("/n") != nullptr);
  CHECK(u.payload.at_pointer("/n")->get_uint64() == std::uint64_t{18446744073709551615u});
  CHECK(encode(event) == input);  // member order and every byte kept
}

TEST_CASE("Boticario: an unknown event type wins over members the typed model would reject",
          "[codec][boticario]") {
  // With a known type each of these is a type error; with an unknown type the payload is
  // simply kept.
  const std::string input =
      R"({"event":{"type":"typing","messageId":42,"status":["a"]},)"
      R"("clientData":"not an object","message":{"createdAt":"yesterday","mediaType":7}})";
  const Event event = decode_ok(input);
  REQUIRE(std::holds_alternative<UnknownEvent>(event));
  CHECK(std::get<UnknownEvent>(event).type() == "typing");
  CHECK(encode(event) == input);

  // The same payload with a known type is refused at the first bad member.
  Json doc = parse_json(input);
  set_at(doc, "/event/type", "status");
  check_error(require_error(decode_event(doc.dump())), Errc::type_mismatch, "/event/messageId",
              "expected string, got number");
  set_at(doc, "/event/type", "response");
  check_error(require_error(decode_event(doc.dump())), Errc::type_mismatch, "/event/messageId",
              "expected string, got number");
}

TEST_CASE("Boticario: an event type of the empty string is an unknown event",
          "[codec][boticario]") {
  const std::string input = R"({"event":{"type":""},"message":{"message":"oi"}})";
  const Event event = decode_ok(input);
  REQUIRE(std::holds_alternative<UnknownEvent>(event));
  CHECK(std::get<UnknownEvent>(event).type().empty());
  CHECK(encode(event) == input);
}

TEST_CASE("Boticario: without event.type the payload cannot be classified",
          "[codec][boticario][errors]") {
  const std::string message = "the event type is required";
  check_error(require_error(decode_event(R"({"event":{"messageId":"m1"}})")), Errc::missing_member,
              "/event/type", message);
  check_error(require_error(decode_event(R"({"message":{"message":"oi"}})")), Errc::missing_member,
              "/event/type", message);
  check_error(require_error(decode_event("{}")), Errc::missing_member, "/event/type", message);
  check_error(require_error(decode_event(R"({"event":{}})")), Errc::missing_member, "/event/type",
              message);

  // null is no type either.
  check_error(require_error(decode_event(R"({"event":{"type":null}})")), Errc::missing_member,
              "/event/type", message);
  check_error(require_error(decode_event(R"({"event":null})")), Errc::missing_member, "/event/type",
              message);

  Json doc = load_json("boticario_message_event.json");
  codec_test::erase_at(doc, "/event/type");
  check_error(require_error(decode_event(doc.dump())), Errc::missing_member, "/event/type",
              message);
}

TEST_CASE("Boticario: a non-string event.type is a type error at /event/type",
          "[codec][boticario][errors]") {
  check_error(require_error(decode_event(R"({"event":{"type":7}})")), Errc::type_mismatch,
              "/event/type", "expected string, got number");
  check_error(require_error(decode_event(R"({"event":{"type":["status"]}})")), Errc::type_mismatch,
              "/event/type", "expected string, got array");
  check_error(require_error(decode_event(R"({"event":"status"})")), Errc::type_mismatch, "/event",
              "expected object, got string");
}

TEST_CASE("Boticario: a known type with a bad member reports that member",
          "[codec][boticario][errors]") {
  Json doc = load_json("boticario_message_event.json");
  set_at(doc, "/message/mediaData/caption", false);
  check_error(require_error(decode_event(doc.dump())), Errc::type_mismatch,
              "/message/mediaData/caption", "expected string, got boolean");

  doc = load_json("boticario_status_delivered.json");
  set_at(doc, "/message/updatedAt", "2020-02-30T00:00:00Z");
  const auto error = require_error(decode_event(doc.dump()));
  CHECK(error.code() == Errc::invalid_value);
  CHECK(error.pointer() == "/message/updatedAt");
  CHECK(error.message().rfind("invalid timestamp: ", 0) == 0);
}
