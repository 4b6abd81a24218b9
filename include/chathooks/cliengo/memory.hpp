// The Cliengo new-message (fulfillment) webhook's request: the chatbot's whole memory, POSTed
// after each visitor message (chat log, collected data, flow position, dates). Every member of
// the document's field table is typed; every member is a Field; undocumented members are kept
// in each struct's `extra`.
// The accessors (visitor_name(memory), visitor_email, visitor_phone, last_visitor_text,
// conversation_id, custom_value) read the common values without walking the Fields: a pointer
// into the memory, nullptr when the member or an object on its path is absent or null (read
// the Fields to tell those apart). Like Field::get(), the pointer is valid while the memory
// lives and that member is unchanged.
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/extra_members.hpp"
#include "chathooks/field.hpp"
#include "chathooks/json.hpp"
#include "chathooks/open_enum.hpp"
#include "chathooks/timestamp.hpp"

/// The Cliengo new-message (fulfillment) webhook: the chatbot memory Cliengo POSTs (Memory) and
/// the answer that writes the memory and overrides what the bot does next (Response), with their
/// codec and builder, the sending side (FulfillmentClient) and the receiving side
/// (make_receiver).
namespace chathooks::cliengo {

/// `channel`: WEB, FACEBOOK or WHATSAPP.
enum class Channel {
  unknown,   ///< Any other text (kept in the OpenEnum).
  web,       ///< "WEB": the website widget (the request then has `visitorData`).
  facebook,  ///< "FACEBOOK".
  whatsapp   ///< "WHATSAPP".
};
/// `chat_log[].sender`: visitor or chatbot.
enum class Sender {
  unknown,  ///< Any other text (kept in the OpenEnum).
  visitor,  ///< "visitor": the person chatting.
  chatbot   ///< "chatbot": the bot.
};
/// `status` ("should be always ACTIVE").
enum class ConversationStatus {
  unknown,  ///< Any other text (kept in the OpenEnum).
  active    ///< "ACTIVE".
};
/// `visitor_status` ("should be always ONLINE").
enum class VisitorStatus {
  unknown,  ///< Any other text (kept in the OpenEnum).
  online    ///< "ONLINE".
};

}  // namespace chathooks::cliengo

/// The texts of cliengo::Channel, for OpenEnum (matched ASCII case-insensitively).
template <>
struct chathooks::EnumNames<chathooks::cliengo::Channel> {
  /// Each known enumerator with its canonical text.
  static constexpr std::pair<cliengo::Channel, std::string_view> values[] = {
      {cliengo::Channel::web, "WEB"},
      {cliengo::Channel::facebook, "FACEBOOK"},
      {cliengo::Channel::whatsapp, "WHATSAPP"},
  };
};
/// The texts of cliengo::Sender, for OpenEnum (matched ASCII case-insensitively).
template <>
struct chathooks::EnumNames<chathooks::cliengo::Sender> {
  /// Each known enumerator with its canonical text.
  static constexpr std::pair<cliengo::Sender, std::string_view> values[] = {
      {cliengo::Sender::visitor, "visitor"},
      {cliengo::Sender::chatbot, "chatbot"},
  };
};
/// The texts of cliengo::ConversationStatus, for OpenEnum (matched ASCII case-insensitively).
template <>
struct chathooks::EnumNames<chathooks::cliengo::ConversationStatus> {
  /// Each known enumerator with its canonical text.
  static constexpr std::pair<cliengo::ConversationStatus, std::string_view> values[] = {
      {cliengo::ConversationStatus::active, "ACTIVE"},
  };
};
/// The texts of cliengo::VisitorStatus, for OpenEnum (matched ASCII case-insensitively).
template <>
struct chathooks::EnumNames<chathooks::cliengo::VisitorStatus> {
  /// Each known enumerator with its canonical text.
  static constexpr std::pair<cliengo::VisitorStatus, std::string_view> values[] = {
      {cliengo::VisitorStatus::online, "ONLINE"},
  };
};

namespace chathooks::cliengo {

/// `{"value": ...}`: a detected name or email.
struct DetectedValue {
  Field<std::string> value;  ///< "value"
  ExtraMembers extra;        ///< members the document does not list, in order
};

/// A detected phone.
struct Phone {
  Field<std::string> national_format;       ///< "national_format"
  Field<std::string> international_format;  ///< "international_format": the useful one
  ExtraMembers extra;                       ///< members the document does not list, in order
};

/// `are_you_there`.
struct AreYouThere {
  Field<std::int64_t> index;  ///< "index": times the bot asked whether the visitor is there
  ExtraMembers extra;         ///< members the document does not list, in order
};

/// `chat_log[]`: one message of the conversation.
struct ChatLogEntry {
  Field<OpenEnum<Sender>> sender;  ///< "sender"
  Field<std::string> text;         ///< "text"
  ExtraMembers extra;              ///< members the document does not list, in order
};

/// `collected_data`: the chatbot memory proper.
struct CollectedData {
  Field<std::vector<Json>> intent;    ///< "intent": detected intents (shape undocumented)
  Field<std::vector<Json>> entities;  ///< "entities": detected entities (shape undocumented)
  Field<JsonObject> custom;           ///< "custom": answers by question internal_name
  Field<DetectedValue> name;          ///< "name"
  Field<DetectedValue> email;         ///< "email"
  Field<Phone> phone;                 ///< "phone"
  ExtraMembers extra;                 ///< members the document does not list, in order
};

/// `visitorData` (WEB channel only).
struct VisitorData {
  Field<std::string> utms;        ///< "utms"
  Field<std::string> url;         ///< "url"
  Field<std::string> visitor_ip;  ///< "visitorIp"
  ExtraMembers extra;             ///< members the document does not list, in order
};

/// `flow`: where the script is.
struct FlowPosition {
  Field<std::int64_t> last_question_id;  ///< "last_question_id"
  Field<std::int64_t> retry_count;       ///< "retry_count"
  ExtraMembers extra;                    ///< members the document does not list, in order
};

/// The request Cliengo POSTs.
struct Memory {
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
  ExtraMembers extra;                              ///< members the document does not list, in order
};

/// `collected_data.name.value`: the visitor's name as the bot detected it; nullptr when absent
/// or null. Valid while `memory` lives.
inline const std::string* visitor_name(const Memory& memory) noexcept {
  const CollectedData* data = memory.collected_data.get();
  const DetectedValue* name = data != nullptr ? data->name.get() : nullptr;
  return name != nullptr ? name->value.get() : nullptr;
}
/// Deleted: the result would point into a temporary Memory.
const std::string* visitor_name(Memory&&) = delete;

/// `collected_data.email.value`: the visitor's email as the bot detected it; nullptr when
/// absent or null. Valid while `memory` lives.
inline const std::string* visitor_email(const Memory& memory) noexcept {
  const CollectedData* data = memory.collected_data.get();
  const DetectedValue* email = data != nullptr ? data->email.get() : nullptr;
  return email != nullptr ? email->value.get() : nullptr;
}
/// Deleted: the result would point into a temporary Memory.
const std::string* visitor_email(Memory&&) = delete;

/// `collected_data.phone.international_format` ("the useful one", says the document), or
/// `collected_data.phone.national_format` when that is absent or null; nullptr when neither has
/// a value. Valid while `memory` lives.
inline const std::string* visitor_phone(const Memory& memory) noexcept {
  const CollectedData* data = memory.collected_data.get();
  const Phone* phone = data != nullptr ? data->phone.get() : nullptr;
  if (phone == nullptr) return nullptr;
  if (const std::string* international = phone->international_format.get()) return international;
  return phone->national_format.get();
}
/// Deleted: the result would point into a temporary Memory.
const std::string* visitor_phone(Memory&&) = delete;

/// `chat_log[i].text` of the last entry whose `sender` is "visitor": what the visitor said
/// last; nullptr when no entry is the visitor's, or when that entry's text is absent or null
/// (earlier entries are not looked at then). Valid while `memory` lives.
inline const std::string* last_visitor_text(const Memory& memory) noexcept {
  const std::vector<ChatLogEntry>* log = memory.chat_log.get();
  if (log == nullptr) return nullptr;
  for (auto entry = log->rbegin(); entry != log->rend(); ++entry) {
    const OpenEnum<Sender>* sender = entry->sender.get();
    if (sender != nullptr && *sender == Sender::visitor) return entry->text.get();
  }
  return nullptr;
}
/// Deleted: the result would point into a temporary Memory.
const std::string* last_visitor_text(Memory&&) = delete;

/// `conversationId`; nullptr when absent or null. Valid while `memory` lives.
inline const std::string* conversation_id(const Memory& memory) noexcept {
  return memory.conversation_id.get();
}
/// Deleted: the result would point into a temporary Memory.
const std::string* conversation_id(Memory&&) = delete;

/// `collected_data.custom.<name>`: the answer to the question whose internal_name is `name`,
/// as JSON (`->get_string()` for its text); nullptr when there is no such member. A null
/// answer is a Json holding null. Valid while `memory` lives.
inline const Json* custom_value(const Memory& memory, std::string_view name) noexcept {
  const CollectedData* data = memory.collected_data.get();
  const JsonObject* custom = data != nullptr ? data->custom.get() : nullptr;
  return custom != nullptr ? custom->find(name) : nullptr;
}
/// Deleted: the result would point into a temporary Memory.
const Json* custom_value(Memory&&, std::string_view) = delete;

}  // namespace chathooks::cliengo
