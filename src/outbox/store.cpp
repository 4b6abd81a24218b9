// The engine-independent part of the outbox store: the interface's destructor, the default
// settle_all() (settle() in turn), the default endpoint records (none kept), and state names.
#include "chathooks/outbox/store.hpp"

#include "outbox/stored_values.hpp"

namespace chathooks::outbox {

OutboxStore::~OutboxStore() = default;

Result<void> OutboxStore::defer(const Lease& lease, std::chrono::system_clock::time_point) {
  return release(lease);
}

Result<void> OutboxStore::save_endpoint(const EndpointRecord& record) {
  return detail::check_endpoint_record(record);
}

Result<std::vector<EndpointRecord>> OutboxStore::endpoint_records() {
  return std::vector<EndpointRecord>{};
}

Result<std::vector<bool>> OutboxStore::settle_all(const std::vector<SettleItem>& items) {
  std::vector<bool> settled;
  settled.reserve(items.size());
  if (auto checked = detail::check_settle_items(items); !checked) return checked.error();
  for (const SettleItem& item : items) {
    auto one = settle(*item.lease, item.attempt, item.settlement);
    if (!one.ok() && one.error().code() != Errc::lease_lost) return one.error();
    settled.push_back(one.ok());
  }
  return settled;
}

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
