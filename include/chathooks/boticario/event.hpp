// The Grupo Boticario instant-message webhook's events, told apart by `event.type`: an incoming
// message ("response"), a delivery status ("status": sent, delivered, read), or a type that no
// document lists, kept whole as JSON. Every member is a Field; undocumented members are kept in
// each struct's `extra`.
// The accessors (EventFields::text(), boticario::text(event), sender_number, contact_name,
// message_id, status, event_type, type_name) read the common values without walking the
// Fields: a string comes back as `const std::string*` pointing into the event, nullptr when
// the member or an object on its path is absent or null (read the Fields to tell those apart).
// Like Field::get(), the pointer is valid while the event lives and that member is unchanged.
// Thread-safety: plain value types.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "chathooks/extra_members.hpp"
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
  ExtraMembers extra;                      ///< members the document does not list, in order
};

/// `clientData`: the customer who wrote.
struct ClientData {
  Field<std::string> number;           ///< "number", E.164 text
  Field<std::string> name;             ///< "name"
  Field<Timestamp> time_last_message;  ///< "timeLastMessage"
  ExtraMembers extra;                  ///< members the document does not list, in order
};

/// `message.mediaData`.
struct MediaData {
  Field<std::string> link;      ///< "link"
  Field<std::string> caption;   ///< "caption"
  Field<std::string> filename;  ///< "filename"
  ExtraMembers extra;           ///< members the document does not list, in order
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
  ExtraMembers extra;                     ///< members the document does not list, in order
};

/// The members both documented events share.
struct EventFields {
  Field<EventInfo> event;         ///< "event"
  Field<ClientData> client_data;  ///< "clientData" (message events)
  Field<Message> message;         ///< "message"
  ExtraMembers extra;             ///< members the document does not list, in order

  /// `message.message`: the message text (media messages may have none); nullptr when absent
  /// or null. Valid while this lives.
  const std::string* text() const noexcept {
    const Message* m = message.get();
    return m != nullptr ? m->text.get() : nullptr;
  }
  /// `clientData.number`, or `message.from` when that is absent or null (status events have no
  /// `clientData`): the number of whoever sent the message; nullptr when neither has a value.
  /// Valid while this lives.
  const std::string* sender_number() const noexcept {
    if (const ClientData* c = client_data.get())
      if (const std::string* number = c->number.get()) return number;
    const Message* m = message.get();
    return m != nullptr ? m->from.get() : nullptr;
  }
  /// `clientData.name`: the customer's name; nullptr when absent or null. Valid while this
  /// lives.
  const std::string* contact_name() const noexcept {
    const ClientData* c = client_data.get();
    return c != nullptr ? c->name.get() : nullptr;
  }
  /// `event.messageId`, or `message.messageId` when that is absent or null (the two are
  /// different ids in the document's examples: read the Fields when you need one of them in
  /// particular); nullptr when neither has a value. Valid while this lives.
  const std::string* message_id() const noexcept {
    if (const EventInfo* info = event.get())
      if (const std::string* id = info->message_id.get()) return id;
    const Message* m = message.get();
    return m != nullptr ? m->message_id.get() : nullptr;
  }
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

/// `message.message` of a MessageEvent or StatusEvent (EventFields::text()); nullptr for an
/// UnknownEvent or when absent or null. Valid while `event` lives.
inline const std::string* text(const Event& event) noexcept {
  if (const auto* m = std::get_if<MessageEvent>(&event)) return m->text();
  if (const auto* s = std::get_if<StatusEvent>(&event)) return s->text();
  return nullptr;
}
/// Deleted: the result would point into a temporary (a MessageEvent or StatusEvent passed here
/// converts to a temporary Event; call its member text() instead).
const std::string* text(Event&&) = delete;

/// `clientData.number`, else `message.from` (EventFields::sender_number()); nullptr for an
/// UnknownEvent or when neither has a value. Valid while `event` lives.
inline const std::string* sender_number(const Event& event) noexcept {
  if (const auto* m = std::get_if<MessageEvent>(&event)) return m->sender_number();
  if (const auto* s = std::get_if<StatusEvent>(&event)) return s->sender_number();
  return nullptr;
}
/// Deleted: the result would point into a temporary (see text(Event&&)).
const std::string* sender_number(Event&&) = delete;

/// `clientData.name` (EventFields::contact_name()); nullptr for an UnknownEvent or when absent
/// or null. Valid while `event` lives.
inline const std::string* contact_name(const Event& event) noexcept {
  if (const auto* m = std::get_if<MessageEvent>(&event)) return m->contact_name();
  if (const auto* s = std::get_if<StatusEvent>(&event)) return s->contact_name();
  return nullptr;
}
/// Deleted: the result would point into a temporary (see text(Event&&)).
const std::string* contact_name(Event&&) = delete;

/// `event.messageId`, else `message.messageId` (EventFields::message_id()); nullptr for an
/// UnknownEvent or when neither has a value. Valid while `event` lives.
inline const std::string* message_id(const Event& event) noexcept {
  if (const auto* m = std::get_if<MessageEvent>(&event)) return m->message_id();
  if (const auto* s = std::get_if<StatusEvent>(&event)) return s->message_id();
  return nullptr;
}
/// Deleted: the result would point into a temporary (see text(Event&&)).
const std::string* message_id(Event&&) = delete;

/// `event.status`, the delivery status, of a StatusEvent (or of a MessageEvent that carries
/// one); an empty OpenEnum (text "", kind unknown) for an UnknownEvent or when absent or null,
/// so `status(event) == DeliveryStatus::read` needs no check first. A copy, like
/// StatusEvent::status().
inline OpenEnum<DeliveryStatus> status(const Event& event) {
  const EventFields* fields = std::get_if<MessageEvent>(&event);
  if (fields == nullptr) fields = std::get_if<StatusEvent>(&event);
  if (fields != nullptr)
    if (const EventInfo* info = fields->event.get())
      if (const auto* s = info->status.get()) return *s;
  return {};
}

/// Which alternative `event` holds, as its EventType: response for a MessageEvent, status for
/// a StatusEvent, unknown for an UnknownEvent (the decoder chose it from `event.type`).
inline EventType event_type(const Event& event) noexcept {
  if (std::holds_alternative<MessageEvent>(event)) return EventType::response;
  if (std::holds_alternative<StatusEvent>(event)) return EventType::status;
  return EventType::unknown;
}

/// `event.type` as received ("response", "status", or the unknown type's text); nullptr when
/// absent or null, or, for an UnknownEvent, not a string. Valid while `event` lives.
inline const std::string* type_name(const Event& event) noexcept {
  const EventFields* fields = std::get_if<MessageEvent>(&event);
  if (fields == nullptr) fields = std::get_if<StatusEvent>(&event);
  if (fields != nullptr) {
    const EventInfo* info = fields->event.get();
    const auto* type = info != nullptr ? info->type.get() : nullptr;
    return type != nullptr ? &type->text() : nullptr;
  }
  const auto* unknown = std::get_if<UnknownEvent>(&event);
  const Json* type = unknown != nullptr ? unknown->payload.at_pointer("/event/type") : nullptr;
  return type != nullptr ? type->get_string() : nullptr;
}
/// Deleted: the result would point into a temporary (see text(Event&&)).
const std::string* type_name(Event&&) = delete;

}  // namespace chathooks::boticario
