// Grupo Boticario decode/encode entry points. Decoding is typed in one pass for the documented
// event types; only an unknown type (or a payload the typed pass rejects) is parsed again as
// Json, to keep it whole or to tell "unknown type" from "bad payload".
#include "chathooks/boticario/codec.hpp"

#include "json/codec_ops.hpp"
#include "json/schemas.hpp"

namespace chathooks::boticario {
namespace {

constexpr std::string_view kTypePointer = "/event/type";

// Whether the payload looks like a status event: a `"type"` member whose value is `"status"`
// near the start (the documents put `event` first). Only a guess, so that the typed pass decodes
// into the right alternative at once; a wrong guess costs one move of the struct.
bool looks_like_status(std::string_view json) {
  const std::string_view head = json.substr(0, 512);
  std::size_t at = head.find("\"type\"");
  if (at == std::string_view::npos) return false;
  at += 6;
  const auto skip_blanks = [&] {
    while (at < head.size() &&
           (head[at] == ' ' || head[at] == '\n' || head[at] == '\r' || head[at] == '\t'))
      ++at;
  };
  skip_blanks();
  if (at >= head.size() || head[at] != ':') return false;
  ++at;
  skip_blanks();
  return head.substr(at, 8) == "\"status\"";
}

Result<Event> make_event(bool status) {
  if (status) return Result<Event>(std::in_place, std::in_place_type<StatusEvent>);
  return Result<Event>(std::in_place, std::in_place_type<MessageEvent>);
}

}  // namespace

Result<Event> decode_event(std::string_view json, const ParseOptions& options,
                           std::vector<DecodeWarning>* warnings) {
  // Decoded in place into the variant's alternative the payload looks like (looks_like_status)
  // and returned through one variable: the structs are costly to move. A wrong guess is moved
  // once into the right alternative.
  Result<Event> out = make_event(looks_like_status(json));
  EventFields& fields = std::holds_alternative<StatusEvent>(*out)
                            ? static_cast<EventFields&>(std::get<StatusEvent>(*out))
                            : static_cast<EventFields&>(std::get<MessageEvent>(*out));
  // Warnings are kept aside until the payload is known to be a message or status event: an
  // unknown type keeps the whole payload, with nothing to warn about.
  std::vector<DecodeWarning> typed_warnings;
  auto typed = detail::decode_into(json, options, &fields, &detail::Codec<EventFields>::decode,
                                   &typed_warnings);
  const OpenEnum<EventType>* type = nullptr;
  if (typed) {
    const EventInfo* info = fields.event.get();
    type = info != nullptr ? info->type.get() : nullptr;
    if (type == nullptr) {
      // A tolerant decode keeps an `event` or `event.type` it cannot read, but without the
      // type the payload cannot be classified.
      if (fields.event.is_unreadable()) {
        out = Error(Errc::type_mismatch, "`event` must be an object holding the event type",
                    "/event");
      } else if (info != nullptr && info->type.is_unreadable()) {
        out = Error(Errc::type_mismatch, "the event type must be a string",
                    std::string(kTypePointer));
      } else {
        out = Error(Errc::missing_member, "the event type is required", std::string(kTypePointer));
      }
      return out;
    }
    const bool known = type->kind() == EventType::response || type->kind() == EventType::status;
    if (known && warnings != nullptr) {
      warnings->insert(warnings->end(), typed_warnings.begin(), typed_warnings.end());
    }
    if (type->kind() == EventType::response) {
      if (std::holds_alternative<StatusEvent>(*out)) {
        MessageEvent message{std::move(fields)};
        *out = std::move(message);
      }
      return out;
    }
    if (type->kind() == EventType::status) {
      if (std::holds_alternative<MessageEvent>(*out)) {
        StatusEvent status{std::move(fields)};
        *out = std::move(status);
      }
      return out;
    }
  }
  // An unknown type, or a payload the typed pass refused: an unknown type keeps the whole
  // payload whatever its shape; anything else keeps the typed pass's error.
  auto whole = Json::parse(json, options);
  if (whole) {
    const Json* t = whole->at_pointer(kTypePointer);
    if (t != nullptr && t->is_string() &&
        OpenEnum<EventType>::kind_of(*t->get_string()) == EventType::unknown) {
      *out = UnknownEvent{std::move(whole).value()};
      return out;
    }
  }
  if (!typed) {
    out = std::move(typed).error();
  } else if (!whole) {
    out = whole.error();
  } else {
    out = Error(Errc::internal, "event type changed between two parses of the same bytes");
  }
  return out;
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
