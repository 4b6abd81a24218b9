// boticario::make_receiver: events in, an empty 200 out. The payload's own key is the event's
// messageId with its type and status (see boticario/receiver.hpp for why).
#include "chathooks/boticario/receiver.hpp"

#include <variant>

#include "chathooks/boticario/codec.hpp"
#include "receiver/typed_receiver.hpp"

namespace chathooks::boticario {
namespace {

// The text of an open enum member, or "" when absent or null.
template <class E>
std::string_view text_of(const Field<OpenEnum<E>>& field) {
  const OpenEnum<E>* value = field.get();
  return value != nullptr ? value->text() : std::string_view();
}

std::string event_key(const Event& event) {
  if (const auto* unknown = std::get_if<UnknownEvent>(&event)) {
    const Json* id = unknown->payload.at_pointer("/event/messageId");
    if (id == nullptr || !id->is_string() || id->get_string()->empty()) return {};
    return *id->get_string() + ":" + unknown->type();
  }
  const EventFields* fields = std::get_if<MessageEvent>(&event);
  if (fields == nullptr) fields = std::get_if<StatusEvent>(&event);
  const EventInfo* info = fields != nullptr ? fields->event.get() : nullptr;
  const std::string* id = info != nullptr ? info->message_id.get() : nullptr;
  if (id == nullptr || id->empty()) return {};
  std::string key = *id;
  key += ':';
  key += text_of(info->type);
  key += ':';
  key += text_of(info->status);
  return key;
}

}  // namespace

Result<receiver::Receiver> make_receiver(EventHandler handler, receiver::ReceiverOptions options) {
  receiver::detail::ProtocolSteps<Event, void> steps;
  steps.name = "boticario";
  steps.decode = decode_event;
  steps.key = event_key;
  return receiver::detail::make_typed_receiver(std::move(steps), std::move(handler),
                                               std::move(options));
}

}  // namespace chathooks::boticario
