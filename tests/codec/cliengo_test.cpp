// Cliengo: the documented request (every member of the spec's field table) and response decode
// to the documented values and re-encode semantically equal; enum values no document lists are
// kept; the response's shapes (LIST options, flow jumps, stopChat) survive a round trip.
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "codec_test_support.hpp"

using chathooks::Json;
using chathooks::cliengo::Channel;
using chathooks::cliengo::ConversationStatus;
using chathooks::cliengo::decode_memory;
using chathooks::cliengo::decode_response;
using chathooks::cliengo::encode;
using chathooks::cliengo::Memory;
using chathooks::cliengo::Response;
using chathooks::cliengo::ResponseType;
using chathooks::cliengo::Sender;
using chathooks::cliengo::VisitorStatus;
using codec_test::load_json;
using codec_test::load_vector;
using codec_test::set_at;

namespace {

Memory decode_memory_ok(std::string_view json) {
  auto decoded = decode_memory(json);
  if (!decoded) FAIL("decode failed: " << decoded.error().to_string());
  return std::move(decoded).value();
}

Response decode_response_ok(std::string_view json) {
  auto decoded = decode_response(json);
  if (!decoded) FAIL("decode failed: " << decoded.error().to_string());
  return std::move(decoded).value();
}

}  // namespace

TEST_CASE("Cliengo request vector: identity, chat log and flags", "[codec][cliengo][vector]") {
  const Memory r = decode_memory_ok(load_vector("cliengo_request.json"));

  REQUIRE(r.channel.has_value());
  CHECK(r.channel->kind() == Channel::web);
  CHECK(r.channel->text() == "WEB");
  CHECK(r.visitor_id == std::string("[email\xC2\xA0protected]"));
  CHECK(r.website_id == std::string("5de12d55e4b096a8283b6ed8"));
  CHECK(r.company_id == std::string("5de12d55e4b096a8283b6ed6"));
  REQUIRE(r.are_you_there.has_value());
  CHECK(r.are_you_there->index == std::int64_t{0});

  REQUIRE(r.chat_log.has_value());
  REQUIRE(r.chat_log->size() == 2);
  const auto& first = (*r.chat_log)[0];
  REQUIRE(first.sender.has_value());
  CHECK(first.sender->kind() == Sender::visitor);
  CHECK(first.sender->text() == "visitor");
  CHECK(first.text == std::string("Hi! I'm Ariel, my email is [email\xC2\xA0protected]"));
  const auto& second = (*r.chat_log)[1];
  CHECK(second.sender->kind() == Sender::chatbot);
  CHECK(second.text == std::string("Ok. I need your phone number please"));

  REQUIRE(r.fired_triggers.has_value());
  CHECK(*r.fired_triggers == std::vector<std::string>{"11123d55e4b096a8283b6ed8"});
  REQUIRE(r.reactivated.has_value());
  CHECK_FALSE(*r.reactivated);
  REQUIRE(r.status.has_value());
  CHECK(r.status->kind() == ConversationStatus::active);
  REQUIRE(r.tags.has_value());
  CHECK(*r.tags == std::vector<std::string>{"fired_new_lead"});
  REQUIRE(r.visitor_status.has_value());
  CHECK(r.visitor_status->kind() == VisitorStatus::online);
  CHECK(r.conversation_id == std::string("5f0cbe62162e0dec1910d197"));
  REQUIRE(r.soft_disable.has_value());
  CHECK_FALSE(*r.soft_disable);
  CHECK(r.chatbot_name == std::string("Martín"));
  CHECK(r.extra.empty());
}

TEST_CASE("Cliengo request vector: collected data, visitor data, flow and dates",
          "[codec][cliengo][vector]") {
  const Memory r = decode_memory_ok(load_vector("cliengo_request.json"));

  REQUIRE(r.collected_data.has_value());
  const auto& cd = *r.collected_data;
  REQUIRE(cd.intent.has_value());
  CHECK(cd.intent->empty());
  REQUIRE(cd.entities.has_value());
  CHECK(cd.entities->empty());
  REQUIRE(cd.custom.has_value());
  REQUIRE(cd.custom->size() == 1);
  REQUIRE(cd.custom->find("custom_field") != nullptr);
  CHECK(*cd.custom->find("custom_field") == Json("example"));
  REQUIRE(cd.name.has_value());
  CHECK(cd.name->value == std::string("ariel"));
  REQUIRE(cd.email.has_value());
  CHECK(cd.email->value == std::string("[email\xC2\xA0protected]"));
  REQUIRE(cd.phone.has_value());
  CHECK(cd.phone->national_format == std::string("011 3815-2222"));
  CHECK(cd.phone->international_format == std::string("+541138152222"));

  REQUIRE(r.visitor_data.has_value());
  CHECK(r.visitor_data->utms ==
        std::string("&utm_source=Instagram&utm_medium=IGAds&utm_campaign=Campaign1"));
  CHECK(r.visitor_data->url == std::string("https://lw.cliengo.com/?companyId=5"));
  CHECK(r.visitor_data->visitor_ip == std::string("13.90.115.123"));

  REQUIRE(r.flow.has_value());
  CHECK(r.flow->last_question_id == std::int64_t{3});
  CHECK(r.flow->retry_count == std::int64_t{0});

  REQUIRE(r.last_interaction_date.has_value());
  CHECK(r.last_interaction_date->text() == "2020-07-13T20:04:59.595Z");
  REQUIRE(r.creation_date.has_value());
  CHECK(r.creation_date->text() == "2020-07-13T20:04:51.904Z");
  REQUIRE(r.lead_post_date.has_value());
  CHECK(r.lead_post_date->text() == "2020-07-13T20:05:59.606Z");
  CHECK(*r.creation_date < *r.last_interaction_date);
}

TEST_CASE("Cliengo request vector re-encodes semantically equal", "[codec][cliengo][vector]") {
  const std::string input = load_vector("cliengo_request.json");
  const Memory r = decode_memory_ok(input);
  const std::string encoded = encode(r);
  codec_test::check_same_json(input, encoded);
  CHECK(encoded.find("\"intent\":[]") != std::string::npos);
  CHECK(encoded.find("\"reactivated\":false") != std::string::npos);
  CHECK(encode(decode_memory_ok(encoded)) == encoded);
}

TEST_CASE("Cliengo response vector", "[codec][cliengo][vector]") {
  const std::string input = load_vector("cliengo_response.json");
  const Response r = decode_response_ok(input);
  CHECK(r.name->value == std::string("Juan Roman"));
  CHECK(r.email->value == std::string("juan@example.com"));
  REQUIRE(r.phone.has_value());
  CHECK(r.phone->national_format == std::string("1234542123"));
  CHECK(r.phone->international_format == std::string("12343132112"));
  REQUIRE(r.custom.has_value());
  std::vector<std::string> custom_keys;
  for (const auto& member : *r.custom) custom_keys.push_back(member.first);
  CHECK(custom_keys == std::vector<std::string>{"userType", "thing1", "thing2"});
  CHECK(*r.custom->find("userType") == Json("advanced"));

  REQUIRE(r.reply.has_value());
  const auto& reply = *r.reply;
  REQUIRE(reply.text.has_value());
  CHECK(*reply.text == std::vector<std::string>{"Ok", "What model are you interested in?"});
  REQUIRE(reply.response_type.has_value());
  CHECK(reply.response_type->kind() == ResponseType::list);
  CHECK(*reply.response_type == ResponseType::list);
  CHECK(reply.response_type->text() == "LIST");
  REQUIRE(reply.response_options.has_value());
  CHECK(*reply.response_options == std::vector<std::string>{"Model 3", "Model Y"});
  REQUIRE(reply.stop_chat.has_value());
  CHECK(*reply.stop_chat);
  CHECK(reply.flow == std::int64_t{5});

  const std::string encoded = encode(r);
  codec_test::check_same_json(input, encoded);
  CHECK(encoded.find(R"("response_type":"LIST")") != std::string::npos);
  CHECK(encoded.find(R"("stopChat":true)") != std::string::npos);
}

TEST_CASE("Cliengo: channels, senders and statuses no document lists are kept",
          "[codec][cliengo][enums]") {
  Json doc = load_json("cliengo_request.json");
  set_at(doc, "/channel", "TELEGRAM");
  set_at(doc, "/chat_log/1/sender", "human_agent");
  set_at(doc, "/status", "CLOSED");
  set_at(doc, "/visitor_status", "OFFLINE");
  Memory r = decode_memory_ok(doc.dump());
  CHECK(r.channel->kind() == Channel::unknown);
  CHECK(r.channel->text() == "TELEGRAM");
  CHECK((*r.chat_log)[0].sender->kind() == Sender::visitor);
  CHECK((*r.chat_log)[1].sender->kind() == Sender::unknown);
  CHECK((*r.chat_log)[1].sender->text() == "human_agent");
  CHECK(r.status->kind() == ConversationStatus::unknown);
  CHECK(r.status->text() == "CLOSED");
  CHECK(r.visitor_status->kind() == VisitorStatus::unknown);
  CHECK(r.visitor_status->text() == "OFFLINE");
  std::string encoded = encode(r);
  CHECK(encoded.find(R"("sender":"human_agent")") != std::string::npos);
  CHECK(encoded.find(R"("channel":"TELEGRAM")") != std::string::npos);
  codec_test::check_same_json(doc.dump(), encoded);

  set_at(doc, "/channel", "WhatsApp");
  set_at(doc, "/chat_log/1/sender", "ChatBot");
  r = decode_memory_ok(doc.dump());
  CHECK(r.channel->kind() == Channel::whatsapp);
  CHECK(r.channel->text() == "WhatsApp");
  CHECK((*r.chat_log)[1].sender->kind() == Sender::chatbot);
  CHECK((*r.chat_log)[1].sender->text() == "ChatBot");
  encoded = encode(r);
  CHECK(encoded.find(R"("channel":"WhatsApp")") != std::string::npos);
  CHECK(encoded.find(R"("sender":"ChatBot")") != std::string::npos);
}

TEST_CASE("Cliengo: response types no document lists are kept", "[codec][cliengo][enums]") {
  Json doc = load_json("cliengo_response.json");
  set_at(doc, "/response/response_type", "DATE");
  Response r = decode_response_ok(doc.dump());
  CHECK(r.reply->response_type->kind() == ResponseType::unknown);
  CHECK(r.reply->response_type->text() == "DATE");
  CHECK(encode(r).find(R"("response_type":"DATE")") != std::string::npos);

  set_at(doc, "/response/response_type", "email");
  r = decode_response_ok(doc.dump());
  CHECK(r.reply->response_type->kind() == ResponseType::email);
  CHECK(r.reply->response_type->text() == "email");
  CHECK(encode(r).find(R"("response_type":"email")") != std::string::npos);
}

TEST_CASE("Cliengo: intents and entities keep any JSON", "[codec][cliengo][variants]") {
  Json doc = load_json("cliengo_request.json");
  set_at(doc, "/collected_data/intent",
         codec_test::parse_json(R"([{"name":"buy","confidence":0.93},"raw",7,null,[]])"));
  set_at(doc, "/collected_data/entities",
         codec_test::parse_json(
             R"([{"type":"model","value":"Model Y","start":18446744073709551615}])"));
  const Memory r = decode_memory_ok(doc.dump());
  const auto& intent = *r.collected_data->intent;
  REQUIRE(intent.size() == 5);
  CHECK(intent[0].at_pointer("/name") != nullptr);
  CHECK(intent[3].is_null());
  CHECK(intent[4].is_array());
  const auto& entities = *r.collected_data->entities;
  REQUIRE(entities.size() == 1);
  REQUIRE(entities[0].find("start") != nullptr);
  CHECK(entities[0].find("start")->get_uint64() == std::uint64_t{18446744073709551615u});
  codec_test::check_same_json(doc.dump(), encode(r));
}

TEST_CASE("Cliengo: empty response bodies", "[codec][cliengo]") {
  const Response r = decode_response_ok("{}");
  CHECK(r.reply.is_absent());
  CHECK(r.name.is_absent());
  CHECK(encode(r) == "{}");

  const Response only_stop = decode_response_ok(R"({"response":{"stopChat":true}})");
  REQUIRE(only_stop.reply.has_value());
  CHECK(only_stop.reply->text.is_absent());
  CHECK(encode(only_stop) == R"({"response":{"stopChat":true}})");
}
