// How the outbox stores keep values, shared by every engine (SQLite, PostgreSQL): state codes,
// times as whole milliseconds, headers as one byte string, lease tokens. Private.
// Thread-safety: pure functions, except new_lease_token(), which reads the system's random
// source and is safe from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/http/message.hpp"
#include "chathooks/outbox/store.hpp"

namespace chathooks::outbox::detail {

// The state column's values: part of every store's format, never renumber. Stores' SQL spells
// them as literals (state = 0 is pending, 1 in flight, 2 delivered, 3 dead).
constexpr int kPending = 0;
constexpr int kInFlight = 1;
constexpr int kDelivered = 2;
constexpr int kDead = 3;

/// The code stored for `state`.
int state_code(MessageState state) noexcept;

/// The state stored as `code`, or nullopt for a code no chathooks writes.
std::optional<MessageState> state_from_code(std::int64_t code) noexcept;

/// The endpoint state column's values: part of every store's format, never renumber. A
/// half_open breaker is stored as open (its probe is this process's own).
int endpoint_state_code(delivery::EndpointState state) noexcept;

/// The endpoint state stored as `code`, or nullopt for a code no chathooks writes.
std::optional<delivery::EndpointState> endpoint_state_from_code(std::int64_t code) noexcept;

/// Errc::invalid_argument for a record without an endpoint.
Result<void> check_endpoint_record(const EndpointRecord& record);

/// Milliseconds since the epoch, rounded down.
std::int64_t to_ms(std::chrono::system_clock::time_point time) noexcept;

/// The inverse, clamped to what a time_point holds (about +-292 years in nanoseconds), so that
/// a corrupt or saturated value cannot overflow the conversion.
std::chrono::system_clock::time_point from_ms(std::int64_t ms) noexcept;

/// a + b, saturated at the int64 bounds.
std::int64_t saturating_add(std::int64_t a, std::int64_t b) noexcept;

/// Headers as one byte string: for each field, the name's length (4 bytes, big-endian), the
/// name, the value's length and the value. Order and repeated names survive; nothing needs
/// escaping. nullopt for a field over 4 GiB.
std::optional<std::string> encode_headers(const http::HttpHeaders& headers);

/// The inverse; nullopt when `in` is not such a string (a damaged row).
std::optional<http::HttpHeaders> decode_headers(std::string_view in);

/// What every store checks before storing `message`: a non-empty id and URL, a non-negative
/// attempt count, headers that fit encode_headers(). Returns the encoded headers, or
/// Errc::invalid_argument saying what is wrong.
Result<std::string> check_for_enqueue(const StoredMessage& message);

/// Errc::invalid_argument when an item of settle_all() has no lease.
Result<void> check_settle_items(const std::vector<SettleItem>& items);

/// Errc::invalid_argument unless `lease_for` is positive (a lease that expires at once could
/// hand the message to the next caller immediately).
Result<void> check_lease_for(std::chrono::milliseconds lease_for);

/// Errc::invalid_argument unless `state` is delivered or dead, the states purge() deletes.
Result<void> check_purgeable(MessageState state);

/// Sets the member of `counts` that counts `state` to `count`.
void set_count(Counts& counts, MessageState state, std::uint64_t count) noexcept;

/// 32 hex digits from the system's random source; nullopt when it fails.
std::optional<std::string> new_lease_token();

/// last_error, and the attempt log's error, of an expired lease handed out again: it counts as
/// a failed attempt, or a message that stalls or crashes its worker every time would never end
/// dead.
inline constexpr const char* kLeaseExpiredError =
    "lease_expired: the worker that held it did not settle it before its lease expired";

}  // namespace chathooks::outbox::detail
