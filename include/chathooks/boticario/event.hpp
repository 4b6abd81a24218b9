// The Grupo Boticario instant-message webhook's events, told apart by `event.type`: an incoming
// message ("response"), a delivery status ("status": sent, delivered, read), or a type that no
// document lists, kept whole as JSON. Every member is a Field; undocumented members are kept in
// each struct's `extra`.
// Thread-safety: plain value types.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "chathooks/field.hpp"
#include "chathooks/json.hpp"
#include "chathooks/open_enum.hpp"
#include "chathooks/timestamp.hpp"

/// The Grupo Boticario instant-message webhook: message and delivery-status events (Event), their
/// codec, the sending side (EventSender) and the receiving side (make_receiver).
namespace chathooks::boticario {

/// `event.type`.
enum class EventType {
  unknown,   ///< Any other text: the event decodes to UnknownEvent.
  response,  ///< "response": a customer sent a message (MessageEvent).
  status     ///< "status": a delivery status (StatusEvent).
};
/// `event.status` of a status event.
enum class DeliveryStatus {
  unknown,    ///< Any other text (kept in the OpenEnum).
  sent,       ///< "sent".
  delivered,  ///< "delivered".
  read        ///< "read".
};
/// `message.mediaType` ("document" in the document; the others are WhatsApp's media kinds).
enum class MediaType {
  unknown,   ///< Any other text (kept in the OpenEnum).
  text,      ///< "text".
  image,     ///< "image".
  audio,     ///< "audio".
  video,     ///< "video".
  document,  ///< "document".
  sticker    ///< "sticker".
};
/// `message.status` ("stored" in the document, plus the delivery statuses).
enum class MessageStatus {
  unknown,    ///< Any other text (kept in the OpenEnum).
  stored,     ///< "stored".
  sent,       ///< "sent".
  delivered,  ///< "delivered".
  read        ///< "read".
};

}  // namespace chathooks::boticario

/// The texts of boticario::EventType, for OpenEnum (matched ASCII case-insensitively).
template <>
struct chathooks::EnumNames<chathooks::boticario::EventType> {
  /// Each known enumerator with its canonical text.
  static constexpr std::pair<boticario::EventType, std::string_view> values[] = {
      {boticario::EventType::response, "response"},
      {boticario::EventType::status, "status"},
  };
};
/// The texts of boticario::DeliveryStatus, for OpenEnum (matched ASCII case-insensitively).
template <>
struct chathooks::EnumNames<chathooks::boticario::DeliveryStatus> {
  /// Each known enumerator with its canonical text.
  static constexpr std::pair<boticario::DeliveryStatus, std::string_view> values[] = {
      {boticario::DeliveryStatus::sent, "sent"},
      {boticario::DeliveryStatus::delivered, "delivered"},
      {boticario::DeliveryStatus::read, "read"},
  };
};
/// The texts of boticario::MediaType, for OpenEnum (matched ASCII case-insensitively).
template <>
struct chathooks::EnumNames<chathooks::boticario::MediaType> {
  /// Each known enumerator with its canonical text.
  static constexpr std::pair<boticario::MediaType, std::string_view> values[] = {
      {boticario::MediaType::text, "text"},         {boticario::MediaType::image, "image"},
      {boticario::MediaType::audio, "audio"},       {boticario::MediaType::video, "video"},
      {boticario::MediaType::document, "document"}, {boticario::MediaType::sticker, "sticker"},
  };
};
/// The texts of boticario::MessageStatus, for OpenEnum (matched ASCII case-insensitively).
template <>
struct chathooks::EnumNames<chathooks::boticario::MessageStatus> {
  /// Each known enumerator with its canonical text.
  static constexpr std::pair<boticario::MessageStatus, std::string_view> values[] = {
      {boticario::MessageStatus::stored, "stored"},
      {boticario::MessageStatus::sent, "sent"},
      {boticario::MessageStatus::delivered, "delivered"},
      {boticario::MessageStatus::read, "read"},
  };
};

namespace chathooks::boticario {

/// `event`: what happened.
struct EventInfo {
  Field<std::string> message_id;           ///< "messageId"
  Field<OpenEnum<EventType>> type;         ///< "type"
  Field<OpenEnum<DeliveryStatus>> status;  ///< "status" (status events)
  JsonObject extra;                        ///< members the document does not list, in order
};

/// `clientData`: the customer who wrote.
struct ClientData {
  Field<std::string> number;           ///< "number", E.164 text
  Field<std::string> name;             ///< "name"
  Field<Timestamp> time_last_message;  ///< "timeLastMessage"
  JsonObject extra;                    ///< members the document does not list, in order
};

/// `message.mediaData`.
struct MediaData {
  Field<std::string> link;      ///< "link"
  Field<std::string> caption;   ///< "caption"
  Field<std::string> filename;  ///< "filename"
  JsonObject extra;             ///< members the document does not list, in order
};

/// `message`: the message the event is about.
struct Message {
  Field<std::string> message_id;          ///< "messageId"
  Field<std::string> context_id;          ///< "contextId"
  Field<std::string> interactions_id;     ///< "interactionsId"
  Field<OpenEnum<MediaType>> media_type;  ///< "mediaType"
  Field<std::string> text;                ///< "message": the text
  Field<MediaData> media_data;            ///< "mediaData"
  Field<std::string> to;                  ///< "to"
  Field<std::string> from;                ///< "from"
  Field<std::string> app_id;              ///< "appId"
  Field<OpenEnum<MessageStatus>> status;  ///< "status"
  Field<Timestamp> created_at;            ///< "createdAt"
  Field<Timestamp> updated_at;            ///< "updatedAt"
  JsonObject extra;                       ///< members the document does not list, in order
};

/// The members both documented events share.
struct EventFields {
  Field<EventInfo> event;         ///< "event"
  Field<ClientData> client_data;  ///< "clientData" (message events)
  Field<Message> message;         ///< "message"
  JsonObject extra;               ///< members the document does not list, in order
};

/// `event.type == "response"`: a customer sent a message.
struct MessageEvent : EventFields {};

/// `event.type == "status"`: a message was sent, delivered or read.
struct StatusEvent : EventFields {
  /// `event.status`, or an empty OpenEnum (kind unknown) when absent or null.
  OpenEnum<DeliveryStatus> status() const {
    if (const EventInfo* info = event.get())
      if (const auto* s = info->status.get()) return *s;
    return {};
  }
};

/// An event whose type no document lists: the whole payload, as received.
struct UnknownEvent {
  Json payload;  ///< The whole body, unknown members and all; encode() writes it back.
  /// `event.type` as text ("" when not a string).
  std::string type() const {
    const Json* t = payload.at_pointer("/event/type");
    return t != nullptr && t->is_string() ? *t->get_string() : std::string();
  }
};

/// One webhook delivery.
using Event = std::variant<MessageEvent, StatusEvent, UnknownEvent>;

}  // namespace chathooks::boticario
