// The Cliengo fulfillment webhook's response: every member optional. It writes the chatbot
// memory (name, email, phone, custom) and overrides what the bot says and does next
// (`response`: texts, the expected answer type with its options, stop, jump in the flow).
// The accessors visitor_name(response), visitor_email, visitor_phone, custom_value and
// reply_texts read what an answer sets, as the Memory ones read the memory (memory.hpp): a
// pointer into the response, nullptr when absent or null, valid while the response lives.
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/cliengo/memory.hpp"
#include "chathooks/extra_members.hpp"
#include "chathooks/field.hpp"
#include "chathooks/json.hpp"
#include "chathooks/open_enum.hpp"

namespace chathooks::cliengo {

/// `response.response_type`: the answer the bot expects next.
enum class ResponseType {
  unknown,  ///< Any other text (kept in the OpenEnum; check_response() reports it).
  text,     ///< "TEXT": free text.
  list,     ///< "LIST": one of BotReply::response_options.
  name,     ///< "NAME": the visitor's name.
  email,    ///< "EMAIL": an email address.
  phone     ///< "PHONE": a phone number.
};

}  // namespace chathooks::cliengo

/// The texts of cliengo::ResponseType, for OpenEnum (matched ASCII case-insensitively).
template <>
struct chathooks::EnumNames<chathooks::cliengo::ResponseType> {
  /// Each known enumerator with its canonical text.
  static constexpr std::pair<cliengo::ResponseType, std::string_view> values[] = {
      {cliengo::ResponseType::text, "TEXT"},   {cliengo::ResponseType::list, "LIST"},
      {cliengo::ResponseType::name, "NAME"},   {cliengo::ResponseType::email, "EMAIL"},
      {cliengo::ResponseType::phone, "PHONE"},
  };
};

namespace chathooks::cliengo {

/// `response`: what the bot does next.
struct BotReply {
  Field<std::vector<std::string>> text;              ///< "text": one message per element
  Field<OpenEnum<ResponseType>> response_type;       ///< "response_type"
  Field<std::vector<std::string>> response_options;  ///< "response_options" (for LIST)
  Field<bool> stop_chat;                             ///< "stopChat"
  Field<std::int64_t> flow;                          ///< "flow": the question to jump to
  ExtraMembers extra;  ///< members the document does not list, in order
};

/// The answer to a Cliengo request. An empty body (or `{}`) overrides nothing.
struct Response {
  Field<DetectedValue> name;   ///< "name"
  Field<DetectedValue> email;  ///< "email"
  Field<Phone> phone;          ///< "phone"
  Field<JsonObject> custom;    ///< "custom": memory entries posted later to the CRM
  Field<BotReply> reply;       ///< "response": what the bot does next
  ExtraMembers extra;          ///< members the document does not list, in order
};

/// `name.value`: the visitor name the answer writes to the memory; nullptr when absent or
/// null. Valid while `response` lives.
inline const std::string* visitor_name(const Response& response) noexcept {
  const DetectedValue* name = response.name.get();
  return name != nullptr ? name->value.get() : nullptr;
}
/// Deleted: the result would point into a temporary Response.
const std::string* visitor_name(Response&&) = delete;

/// `email.value`: the visitor email the answer writes to the memory; nullptr when absent or
/// null. Valid while `response` lives.
inline const std::string* visitor_email(const Response& response) noexcept {
  const DetectedValue* email = response.email.get();
  return email != nullptr ? email->value.get() : nullptr;
}
/// Deleted: the result would point into a temporary Response.
const std::string* visitor_email(Response&&) = delete;

/// `phone.international_format`, or `phone.national_format` when that is absent or null: the
/// visitor phone the answer writes to the memory; nullptr when neither has a value. Valid
/// while `response` lives.
inline const std::string* visitor_phone(const Response& response) noexcept {
  const Phone* phone = response.phone.get();
  if (phone == nullptr) return nullptr;
  if (const std::string* international = phone->international_format.get()) return international;
  return phone->national_format.get();
}
/// Deleted: the result would point into a temporary Response.
const std::string* visitor_phone(Response&&) = delete;

/// `custom.<name>`: a memory entry the answer writes, as JSON; nullptr when there is no such
/// member. Valid while `response` lives.
inline const Json* custom_value(const Response& response, std::string_view name) noexcept {
  const JsonObject* custom = response.custom.get();
  return custom != nullptr ? custom->find(name) : nullptr;
}
/// Deleted: the result would point into a temporary Response.
const Json* custom_value(Response&&, std::string_view) = delete;

/// `response.text`: the messages the bot is to say, one per element; nullptr when absent or
/// null. Valid while `response` lives.
inline const std::vector<std::string>* reply_texts(const Response& response) noexcept {
  const BotReply* reply = response.reply.get();
  return reply != nullptr ? reply->text.get() : nullptr;
}
/// Deleted: the result would point into a temporary Response.
const std::vector<std::string>* reply_texts(Response&&) = delete;

}  // namespace chathooks::cliengo
