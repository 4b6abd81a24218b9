// Grupo Boticario decode/encode entry points. Decoding is typed in one pass for the documented
// event types; only an unknown type (or a payload the typed pass rejects) is parsed again as
// Json, to keep it whole or to tell "unknown type" from "bad payload".
#include "chathooks/boticario/codec.hpp"

#include "codec/schemas.hpp"
#include "json/codec_ops.hpp"

namespace chathooks::boticario {
namespace {

constexpr std::string_view kTypePointer = "/event/type";

Result<Event> classify(EventFields&& fields) {
  const EventInfo* info = fields.event.get();
  const OpenEnum<EventType>* type = info != nullptr ? info->type.get() : nullptr;
  if (type == nullptr) {
    return Error(Errc::missing_member, "the event type is required", std::string(kTypePointer));
  }
  switch (type->kind()) {
    case EventType::response:
      return Event(MessageEvent{std::move(fields)});
    case EventType::status:
      return Event(StatusEvent{std::move(fields)});
    case EventType::unknown:
      break;
  }
  return Error(Errc::internal, "unclassified event type");
}

}  // namespace

Result<Event> decode_event(std::string_view json, const ParseOptions& options) {
  auto typed = detail::decode_as<EventFields>(json, options);
  if (typed) {
    const EventInfo* info = typed->event.get();
    const auto* type = info != nullptr ? info->type.get() : nullptr;
    if (type == nullptr || type->is_known()) return classify(std::move(typed).value());
  }
  // An unknown type, or a payload the typed pass refused: an unknown type keeps the whole
  // payload whatever its shape; anything else keeps the typed pass's error.
  auto whole = Json::parse(json, options);
  if (!whole) return typed ? Result<Event>(whole.error()) : Result<Event>(typed.error());
  const Json* type = whole->at_pointer(kTypePointer);
  if (type != nullptr && type->is_string() &&
      OpenEnum<EventType>::kind_of(*type->get_string()) == EventType::unknown) {
    return Event(UnknownEvent{std::move(whole).value()});
  }
  if (!typed) return typed.error();
  return Error(Errc::internal, "event type changed between two parses of the same bytes");
}

std::string encode(const EventFields& event) { return detail::encode_as(event); }

std::string encode(const Event& event) {
  if (const auto* unknown = std::get_if<UnknownEvent>(&event)) return unknown->payload.dump();
  if (const auto* message = std::get_if<MessageEvent>(&event)) {
    return encode(static_cast<const EventFields&>(*message));
  }
  return encode(static_cast<const EventFields&>(std::get<StatusEvent>(event)));
}

}  // namespace chathooks::boticario
