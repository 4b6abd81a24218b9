// How the outbox stores keep values (stored_values.hpp).
#include "outbox/stored_values.hpp"

#include <algorithm>
#include <climits>
#include <limits>
#include <utility>

#include "core/hex.hpp"
#include "signing/random.hpp"

namespace chathooks::outbox::detail {

using Clock = std::chrono::system_clock;
using std::chrono::milliseconds;

int state_code(MessageState state) noexcept {
  switch (state) {
    case MessageState::pending:
      return kPending;
    case MessageState::in_flight:
      return kInFlight;
    case MessageState::delivered:
      return kDelivered;
    case MessageState::dead:
      return kDead;
  }
  return kPending;
}

int endpoint_state_code(delivery::EndpointState state) noexcept {
  switch (state) {
    case delivery::EndpointState::closed:
      return 0;
    case delivery::EndpointState::open:
    case delivery::EndpointState::half_open:
      return 1;
    case delivery::EndpointState::disabled:
      return 3;
  }
  return 0;
}

std::optional<delivery::EndpointState> endpoint_state_from_code(std::int64_t code) noexcept {
  switch (code) {
    case 0:
      return delivery::EndpointState::closed;
    case 1:
      return delivery::EndpointState::open;
    case 3:
      return delivery::EndpointState::disabled;
    default:
      return std::nullopt;
  }
}

Result<void> check_endpoint_record(const EndpointRecord& record) {
  if (record.endpoint.empty()) {
    return Error(Errc::invalid_argument, "an endpoint record needs an endpoint");
  }
  return {};
}

std::optional<MessageState> state_from_code(std::int64_t code) noexcept {
  switch (code) {
    case kPending:
      return MessageState::pending;
    case kInFlight:
      return MessageState::in_flight;
    case kDelivered:
      return MessageState::delivered;
    case kDead:
      return MessageState::dead;
    default:
      return std::nullopt;
  }
}

std::int64_t to_ms(Clock::time_point time) noexcept {
  return std::chrono::floor<milliseconds>(time.time_since_epoch()).count();
}

Clock::time_point from_ms(std::int64_t ms) noexcept {
  const std::int64_t lowest = std::chrono::ceil<milliseconds>(Clock::duration::min()).count();
  const std::int64_t highest = std::chrono::floor<milliseconds>(Clock::duration::max()).count();
  return Clock::time_point(milliseconds(std::clamp(ms, lowest, highest)));
}

std::int64_t saturating_add(std::int64_t a, std::int64_t b) noexcept {
  if (b > 0 && a > std::numeric_limits<std::int64_t>::max() - b) {
    return std::numeric_limits<std::int64_t>::max();
  }
  if (b < 0 && a < std::numeric_limits<std::int64_t>::min() - b) {
    return std::numeric_limits<std::int64_t>::min();
  }
  return a + b;
}

namespace {

void put_string(std::string& out, std::string_view text) {
  const auto size = static_cast<std::uint32_t>(text.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((size >> shift) & 0xFFu));
  }
  out.append(text);
}

std::optional<std::string_view> take_string(std::string_view& in) {
  if (in.size() < 4) return std::nullopt;
  std::size_t size = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    size = (size << 8) | static_cast<unsigned char>(in[i]);
  }
  in.remove_prefix(4);
  if (in.size() < size) return std::nullopt;
  const std::string_view text = in.substr(0, size);
  in.remove_prefix(size);
  return text;
}

}  // namespace

std::optional<std::string> encode_headers(const http::HttpHeaders& headers) {
  std::string out;
  for (const auto& [name, value] : headers) {
    if (name.size() > UINT32_MAX || value.size() > UINT32_MAX) return std::nullopt;
    put_string(out, name);
    put_string(out, value);
  }
  return out;
}

std::optional<http::HttpHeaders> decode_headers(std::string_view in) {
  http::HttpHeaders headers;
  while (!in.empty()) {
    const auto name = take_string(in);
    if (!name) return std::nullopt;
    const auto value = take_string(in);
    if (!value || !headers.add(std::string(*name), std::string(*value))) return std::nullopt;
  }
  return headers;
}

Result<std::string> check_for_enqueue(const StoredMessage& message) {
  if (message.id.empty()) {
    return Error(Errc::invalid_argument, "outbox enqueue: the message id is empty");
  }
  if (message.request.url.empty()) {
    return Error(Errc::invalid_argument, "outbox enqueue: message " + message.id + " has no URL");
  }
  if (message.attempts < 0) {
    return Error(Errc::invalid_argument,
                 "outbox enqueue: message " + message.id + " has a negative attempt count");
  }
  auto headers = encode_headers(message.request.headers);
  if (!headers) {
    return Error(Errc::invalid_argument,
                 "outbox enqueue: message " + message.id + " has a header field over 4 GiB");
  }
  return std::move(*headers);
}

Result<void> check_settle_items(const std::vector<SettleItem>& items) {
  for (const SettleItem& item : items) {
    if (item.lease == nullptr) {
      return Error(Errc::invalid_argument, "outbox settle_all: an item has no lease");
    }
  }
  return {};
}

Result<void> check_lease_for(milliseconds lease_for) {
  if (lease_for.count() <= 0) {
    return Error(Errc::invalid_argument, "outbox lease: lease_for must be positive");
  }
  return {};
}

Result<void> check_purgeable(MessageState state) {
  if (state != MessageState::delivered && state != MessageState::dead) {
    return Error(Errc::invalid_argument,
                 "outbox purge: only delivered or dead messages can go, not " +
                     std::string(to_string(state)));
  }
  return {};
}

void set_count(Counts& counts, MessageState state, std::uint64_t count) noexcept {
  switch (state) {
    case MessageState::pending:
      counts.pending = count;
      break;
    case MessageState::in_flight:
      counts.in_flight = count;
      break;
    case MessageState::delivered:
      counts.delivered = count;
      break;
    case MessageState::dead:
      counts.dead = count;
      break;
  }
}

std::optional<std::string> new_lease_token() {
  const auto bytes = signing::detail::random_bytes(16);
  if (!bytes) return std::nullopt;
  std::string token;
  chathooks::detail::append_hex(token, *bytes);
  return token;
}

}  // namespace chathooks::outbox::detail
