// EndpointSync: the outbox Worker's breaker states, saved to and read from its store.
#include "outbox/endpoint_sync.hpp"

#include <algorithm>
#include <utility>

#include "outbox/stored_values.hpp"

namespace chathooks::outbox::detail {

using std::chrono::milliseconds;
using std::chrono::system_clock;

namespace {

// Stores keep whole milliseconds: stamp with what comes back, so a record read back is never
// "newer" than the save that wrote it.
system_clock::time_point whole_ms(system_clock::time_point at) { return from_ms(to_ms(at)); }

EndpointRecord record_of(const delivery::EndpointStatus& status, system_clock::time_point at) {
  EndpointRecord record;
  record.endpoint = status.endpoint;
  record.state = status.state == delivery::EndpointState::half_open ? delivery::EndpointState::open
                                                                    : status.state;
  record.consecutive_failures = status.consecutive_failures;
  if (record.state == delivery::EndpointState::open) {
    record.paused_until = at + status.retry_in;  // half_open: retry_in is 0, a probe due now
    record.pause = status.pause;
  }
  record.updated_at = at;
  return record;
}

delivery::EndpointStatus status_of(const EndpointRecord& record, system_clock::time_point at) {
  delivery::EndpointStatus status;
  status.endpoint = record.endpoint;
  status.state = record.state;
  status.consecutive_failures = record.consecutive_failures;
  if (record.state == delivery::EndpointState::open) {
    status.retry_in = std::max(std::chrono::duration_cast<milliseconds>(record.paused_until - at),
                               milliseconds(0));
    status.pause = record.pause;
  }
  return status;
}

}  // namespace

EndpointSync::EndpointSync(std::shared_ptr<delivery::EndpointPolicy> policy,
                           std::function<system_clock::time_point()> now, milliseconds read_every)
    : policy_(std::move(policy)), now_(std::move(now)), read_every_(read_every) {}

Result<void> EndpointSync::sync(OutboxStore& store) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto at = whole_ms(now_());
  if (auto saved = save_changes(store, at); !saved) return saved;
  if (read_once_ && at - last_read_ < read_every_) return {};
  return apply_newer(store, at);
}

Result<void> EndpointSync::save_changes(OutboxStore& store, system_clock::time_point at) {
  for (const delivery::EndpointStatus& status : policy_->endpoints()) {
    Known& known = known_[status.endpoint];
    if (status.version == known.version) continue;
    if (auto saved = store.save_endpoint(record_of(status, at)); !saved) return saved;
    known.version = status.version;
    known.stamp = at;
  }
  return {};
}

Result<void> EndpointSync::apply_newer(OutboxStore& store, system_clock::time_point at) {
  auto records = store.endpoint_records();
  if (!records) return std::move(records).error();
  last_read_ = at;
  read_once_ = true;
  for (const EndpointRecord& record : *records) {
    Known& known = known_[record.endpoint];
    if (record.updated_at <= known.stamp) continue;  // saved here, or applied already
    known.version = policy_->restore(status_of(record, at));
    known.stamp = record.updated_at;
  }
  return {};
}

}  // namespace chathooks::outbox::detail
