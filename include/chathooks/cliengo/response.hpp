// The Cliengo fulfillment webhook's response: every member optional. It writes the chatbot
// memory (name, email, phone, custom) and overrides what the bot says and does next
// (`response`: texts, the expected answer type with its options, stop, jump in the flow).
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/cliengo/request.hpp"
#include "chathooks/field.hpp"
#include "chathooks/json.hpp"
#include "chathooks/open_enum.hpp"

namespace chathooks::cliengo {

/// `response.response_type`: the answer the bot expects next.
enum class ResponseType {
  unknown,  ///< Any other text (kept in the OpenEnum; check_response() reports it).
  text,     ///< "TEXT": free text.
  list,     ///< "LIST": one of Reply::response_options.
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
struct Reply {
  Field<std::vector<std::string>> text;              ///< "text": one message per element
  Field<OpenEnum<ResponseType>> response_type;       ///< "response_type"
  Field<std::vector<std::string>> response_options;  ///< "response_options" (for LIST)
  Field<bool> stop_chat;                             ///< "stopChat"
  Field<std::int64_t> flow;                          ///< "flow": the question to jump to
  JsonObject extra;  ///< members the document does not list, in order
};

/// The answer to a Cliengo request. An empty body (or `{}`) overrides nothing.
struct Response {
  Field<DetectedValue> name;   ///< "name"
  Field<DetectedValue> email;  ///< "email"
  Field<Phone> phone;          ///< "phone"
  Field<JsonObject> custom;    ///< "custom": memory entries posted later to the CRM
  Field<Reply> response;       ///< "response"
  JsonObject extra;            ///< members the document does not list, in order
};

}  // namespace chathooks::cliengo
