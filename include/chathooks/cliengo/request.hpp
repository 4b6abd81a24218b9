// The Cliengo new-message (fulfillment) webhook's request: the chatbot's whole memory, POSTed
// after each visitor message (chat log, collected data, flow position, dates). Every member of
// the document's field table is typed; every member is a Field; undocumented members are kept
// in each struct's `extra`.
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/field.hpp"
#include "chathooks/json.hpp"
#include "chathooks/open_enum.hpp"
#include "chathooks/timestamp.hpp"

namespace chathooks::cliengo {

/// `channel`: WEB, FACEBOOK or WHATSAPP.
enum class Channel { unknown, web, facebook, whatsapp };
/// `chat_log[].sender`: visitor or chatbot.
enum class Sender { unknown, visitor, chatbot };
/// `status` ("should be always ACTIVE").
enum class ConversationStatus { unknown, active };
/// `visitor_status` ("should be always ONLINE").
enum class VisitorStatus { unknown, online };

}  // namespace chathooks::cliengo

template <>
struct chathooks::EnumNames<chathooks::cliengo::Channel> {
  static constexpr std::pair<cliengo::Channel, std::string_view> values[] = {
      {cliengo::Channel::web, "WEB"},
      {cliengo::Channel::facebook, "FACEBOOK"},
      {cliengo::Channel::whatsapp, "WHATSAPP"},
  };
};
template <>
struct chathooks::EnumNames<chathooks::cliengo::Sender> {
  static constexpr std::pair<cliengo::Sender, std::string_view> values[] = {
      {cliengo::Sender::visitor, "visitor"},
      {cliengo::Sender::chatbot, "chatbot"},
  };
};
template <>
struct chathooks::EnumNames<chathooks::cliengo::ConversationStatus> {
  static constexpr std::pair<cliengo::ConversationStatus, std::string_view> values[] = {
      {cliengo::ConversationStatus::active, "ACTIVE"},
  };
};
template <>
struct chathooks::EnumNames<chathooks::cliengo::VisitorStatus> {
  static constexpr std::pair<cliengo::VisitorStatus, std::string_view> values[] = {
      {cliengo::VisitorStatus::online, "ONLINE"},
  };
};

namespace chathooks::cliengo {

/// `{"value": ...}`: a detected name or email.
struct DetectedValue {
  Field<std::string> value;  ///< "value"
  JsonObject extra;
};

/// A detected phone.
struct Phone {
  Field<std::string> national_format;       ///< "national_format"
  Field<std::string> international_format;  ///< "international_format": the useful one
  JsonObject extra;
};

/// `are_you_there`.
struct AreYouThere {
  Field<std::int64_t> index;  ///< "index": times the bot asked whether the visitor is there
  JsonObject extra;
};

/// `chat_log[]`: one message of the conversation.
struct ChatLogEntry {
  Field<OpenEnum<Sender>> sender;  ///< "sender"
  Field<std::string> text;         ///< "text"
  JsonObject extra;
};

/// `collected_data`: the chatbot memory proper.
struct CollectedData {
  Field<std::vector<Json>> intent;    ///< "intent": detected intents (shape undocumented)
  Field<std::vector<Json>> entities;  ///< "entities": detected entities (shape undocumented)
  Field<JsonObject> custom;           ///< "custom": answers by question internal_name
  Field<DetectedValue> name;          ///< "name"
  Field<DetectedValue> email;         ///< "email"
  Field<Phone> phone;                 ///< "phone"
  JsonObject extra;
};

/// `visitorData` (WEB channel only).
struct VisitorData {
  Field<std::string> utms;        ///< "utms"
  Field<std::string> url;         ///< "url"
  Field<std::string> visitor_ip;  ///< "visitorIp"
  JsonObject extra;
};

/// `flow`: where the script is.
struct FlowPosition {
  Field<std::int64_t> last_question_id;  ///< "last_question_id"
  Field<std::int64_t> retry_count;       ///< "retry_count"
  JsonObject extra;
};

/// The request Cliengo POSTs.
struct Request {
  Field<OpenEnum<Channel>> channel;                ///< "channel"
  Field<std::string> visitor_id;                   ///< "visitorId"
  Field<std::string> website_id;                   ///< "websiteId"
  Field<std::string> company_id;                   ///< "companyId"
  Field<AreYouThere> are_you_there;                ///< "are_you_there"
  Field<std::vector<ChatLogEntry>> chat_log;       ///< "chat_log"
  Field<CollectedData> collected_data;             ///< "collected_data"
  Field<std::vector<std::string>> fired_triggers;  ///< "fired_triggers"
  Field<bool> reactivated;                         ///< "reactivated"
  Field<OpenEnum<ConversationStatus>> status;      ///< "status"
  Field<std::vector<std::string>> tags;            ///< "tags"
  Field<VisitorData> visitor_data;                 ///< "visitorData"
  Field<OpenEnum<VisitorStatus>> visitor_status;   ///< "visitor_status"
  Field<std::string> conversation_id;              ///< "conversationId"
  Field<bool> soft_disable;                        ///< "softDisable"
  Field<std::string> chatbot_name;                 ///< "chatbotName"
  Field<FlowPosition> flow;                        ///< "flow"
  Field<Timestamp> last_interaction_date;          ///< "last_interaction_date"
  Field<Timestamp> creation_date;                  ///< "creation_date"
  Field<Timestamp> lead_post_date;                 ///< "lead_post_date"
  JsonObject extra;
};

}  // namespace chathooks::cliengo
