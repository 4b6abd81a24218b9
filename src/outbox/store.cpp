// The engine-independent part of the outbox store: the interface's destructor and state names.
#include "chathooks/outbox/store.hpp"

namespace chathooks::outbox {

OutboxStore::~OutboxStore() = default;

std::string_view to_string(MessageState state) noexcept {
  switch (state) {
    case MessageState::pending:
      return "pending";
    case MessageState::in_flight:
      return "in_flight";
    case MessageState::delivered:
      return "delivered";
    case MessageState::dead:
      return "dead";
  }
  return "unknown";
}

}  // namespace chathooks::outbox
