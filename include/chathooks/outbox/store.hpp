// The outbox's storage: where messages wait, durably, until a worker delivers them. One small
// interface with an implementation per engine (SQLite: sqlite_store.hpp); the Worker
// (worker.hpp) drives it, and a host can drive it too.
//
// A message is `pending` (due at next_attempt_at), `in_flight` (leased by a worker until the
// lease expires), `delivered` or `dead`. lease() hands out due pending messages and in-flight
// ones whose lease expired (their worker died or stalled; that counts as a failed attempt), so a
// message is never lost; a worker settles each leased message after its attempt, and the
// settlement takes effect only while its lease is the message's current one (Errc::lease_lost
// once another lease() has handed the message out again).
// Delivery is at-least-once; receivers deduplicate on the webhook-id, which never changes.
// Stores keep times in whole milliseconds: what comes back is rounded down to one.
//
// Thread-safety: implementations must be safe to call from several threads at once, and (for
// engines that allow it) from several processes sharing one database.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/delivery/observer.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/message.hpp"

namespace chathooks::outbox {

/// Where a message is in its life.
enum class MessageState {
  pending,    ///< Waiting for its next attempt, due at next_attempt_at.
  in_flight,  ///< Leased by a worker, until the lease expires.
  delivered,  ///< A 2xx answered an attempt: done.
  dead,       ///< Given up (dead_reason says why); retry_dead() makes it pending again.
};

/// "pending", "in_flight", "delivered" or "dead".
CHATHOOKS_API std::string_view to_string(MessageState state) noexcept;

/// A message as the store keeps it.
struct StoredMessage {
  /// The webhook-id: unique in the store, the same on every attempt.
  std::string id;
  /// A label for people and tools, e.g. "flw-dispatch"; not interpreted.
  std::string kind;
  /// What to send: method, URL, headers (without the webhook-* signing headers, which each
  /// attempt adds) and body, byte for byte; `timeout` (0: the transport's) per attempt.
  http::HttpRequest request;
  /// Where it is in its life.
  MessageState state = MessageState::pending;
  /// Attempts made so far.
  int attempts = 0;
  /// When it was enqueued.
  std::chrono::system_clock::time_point created_at{};
  /// When it is due (pending) or was due (other states).
  std::chrono::system_clock::time_point next_attempt_at{};
  /// The last attempt's outcome in words ("HTTP 503", "timeout: ..."); empty before any.
  std::string last_error;
  /// For a dead message: why it was given up.
  std::string dead_reason;
};

/// One attempt, as recorded with its settlement.
struct AttemptLog {
  /// 1 for the first attempt.
  int number = 0;
  /// When the attempt started.
  std::chrono::system_clock::time_point started_at{};
  /// How long it took.
  std::chrono::milliseconds duration{0};
  /// The HTTP status, or 0 when no response came.
  int status = 0;
  /// The transport error ("<code>: <message>") when no response came; empty otherwise.
  std::string error;
};

/// A message handed to one worker until `expires_at`.
struct Lease {
  /// The message, its state in_flight and `attempts` as before this lease.
  StoredMessage message;
  /// Identifies this lease; a settlement must present it.
  std::string token;
  /// After this instant another lease() may hand the message to another worker.
  std::chrono::system_clock::time_point expires_at{};
};

/// What becomes of a leased message after an attempt.
struct Settlement {
  /// The three endings of an attempt.
  enum class Kind {
    delivered,  ///< A 2xx: the message is done.
    retry,      ///< Pending again, due at `next_attempt_at`.
    dead,       ///< Given up, for `reason`.
  };
  /// Which ending.
  Kind kind = Kind::retry;
  /// For retry: when the next attempt is due.
  std::chrono::system_clock::time_point next_attempt_at{};
  /// For retry: the attempt's outcome in words (kept as last_error); for dead: why it was
  /// given up (kept as dead_reason and last_error).
  std::string reason;
};

/// How many messages are in each state.
struct Counts {
  std::uint64_t pending = 0;    ///< Waiting for an attempt.
  std::uint64_t in_flight = 0;  ///< Leased now (including leases that expired unnoticed).
  std::uint64_t delivered = 0;  ///< Delivered and not purged.
  std::uint64_t dead = 0;       ///< Given up and not retried or purged.
};

/// One settlement for OutboxStore::settle_all(): settle(*lease, attempt, settlement).
struct SettleItem {
  /// The lease settled; must outlive the call.
  const Lease* lease = nullptr;
  /// The attempt made.
  AttemptLog attempt;
  /// What becomes of the message.
  Settlement settlement;
};

/// An endpoint's circuit breaker as the outbox keeps it (OutboxStore::save_endpoint), so that a
/// worker that restarts, and the other workers of a fleet sharing the store, know an endpoint
/// is paused or disabled instead of finding out again (WorkerOptions::endpoints).
struct EndpointRecord {
  /// The endpoint, delivery::EndpointPolicy::endpoint_of() form: "https://hooks.example:443".
  std::string endpoint;
  /// closed, open or disabled (a half_open breaker is saved as open, a probe due at once).
  delivery::EndpointState state = delivery::EndpointState::closed;
  /// Consecutive failures counted when it was saved.
  int consecutive_failures = 0;
  /// For open: when a probe may go.
  std::chrono::system_clock::time_point paused_until{};
  /// For open: the current pause, which a failed probe doubles.
  std::chrono::milliseconds pause{0};
  /// When it was saved: of two saves of one endpoint, the later stays.
  std::chrono::system_clock::time_point updated_at{};
};

/// Durable storage of outbox messages. See the header comment.
class CHATHOOKS_API OutboxStore {
 public:
  /// Closes the store; messages stay stored.
  virtual ~OutboxStore();

  /// Stores `message` durably before returning, as pending (whatever its `state`), due at its
  /// next_attempt_at; the caller sets created_at (enqueue() in worker.hpp does).
  /// Errc::duplicate if its id is already stored (whatever its state), Errc::invalid_argument
  /// for an empty id or URL, Errc::storage if the database failed (then nothing is stored).
  virtual Result<void> enqueue(const StoredMessage& message) = 0;

  /// Leases up to `max` messages that are due at `now` (pending with next_attempt_at <= now, or
  /// in flight with an expired lease), oldest due first, until `now + lease_for`. Each comes
  /// back once: a message leased here is not handed to anyone else until its lease expires.
  /// An expired lease handed out again is recorded as a failed attempt ("lease_expired: ..."):
  /// the lease comes back with `attempts` and last_error already counting it.
  /// Errc::invalid_argument for a `lease_for` that is not positive.
  virtual Result<std::vector<Lease>> lease(std::size_t max,
                                           std::chrono::system_clock::time_point now,
                                           std::chrono::milliseconds lease_for) = 0;

  /// Records `attempt` and applies `settlement` (attempts + 1). Errc::lease_lost if the lease
  /// is no longer this message's current one (it expired and the message was leased again, or
  /// it was settled already); then nothing changes.
  virtual Result<void> settle(const Lease& lease, const AttemptLog& attempt,
                              const Settlement& settlement) = 0;

  /// Settles several leased messages, each as settle() would, in one transaction where the
  /// engine has them (one commit, so one disk flush, for a worker's whole batch). Returns, for
  /// each item in order, true when it was settled and false when its lease was lost
  /// (Errc::lease_lost). Any other failure is returned for the whole call, and then none of
  /// it took effect (the default implementation, settle() in turn, cannot promise that: items
  /// before the failing one stay settled). Errc::invalid_argument for a null lease.
  virtual Result<std::vector<bool>> settle_all(const std::vector<SettleItem>& items);

  /// Hands a leased message back unattempted: pending again, due when it was. Errc::lease_lost
  /// as for settle().
  virtual Result<void> release(const Lease& lease) = 0;

  /// Hands a leased message back unattempted, due at `due` (attempts unchanged): a worker
  /// whose endpoint policy paused the message's endpoint or whose rate limit has no slot for
  /// it soon. Errc::lease_lost as for settle(). The default implementation calls release()
  /// (due when it was); the SQLite and PostgreSQL stores keep `due`.
  virtual Result<void> defer(const Lease& lease, std::chrono::system_clock::time_point due);

  /// How many messages are in each state.
  virtual Result<Counts> counts() = 0;

  /// The earliest next_attempt_at of the pending messages, or nullopt when none is pending.
  /// Workers sleep until then.
  virtual Result<std::optional<std::chrono::system_clock::time_point>> next_due() = 0;

  /// Makes every dead message pending again, due at `now`, with a fresh schedule (attempts
  /// back to 0; the attempt log keeps the earlier ones). Returns how many.
  virtual Result<std::uint64_t> retry_dead(std::chrono::system_clock::time_point now) = 0;

  /// Deletes the messages in `state` (delivered or dead; others: Errc::invalid_argument) and
  /// their attempt logs. Returns how many.
  virtual Result<std::uint64_t> purge(MessageState state) = 0;

  /// The message stored under `id`, or nullopt.
  virtual Result<std::optional<StoredMessage>> find(std::string_view id) = 0;

  /// The attempts recorded for message `id`, oldest first.
  virtual Result<std::vector<AttemptLog>> attempts(std::string_view id) = 0;

  /// Keeps `record` as its endpoint's breaker state, unless a record of that endpoint with a
  /// later updated_at is stored already (the later save stays). Errc::invalid_argument for an
  /// empty endpoint. The default implementation keeps nothing (the breaker's state then lives
  /// in each process only); the SQLite and PostgreSQL stores keep it.
  virtual Result<void> save_endpoint(const EndpointRecord& record);

  /// Every endpoint record kept, sorted by endpoint. The default implementation: none.
  virtual Result<std::vector<EndpointRecord>> endpoint_records();

 protected:
  /// For derived classes only: a store is used through a pointer.
  OutboxStore() = default;
  /// For derived classes that choose to be copyable.
  OutboxStore(const OutboxStore&) = default;
  /// See the copy constructor.
  OutboxStore& operator=(const OutboxStore&) = default;
};

}  // namespace chathooks::outbox
