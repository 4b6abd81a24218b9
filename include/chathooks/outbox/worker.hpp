// Durable delivery: enqueue() stores a request in an OutboxStore and returns its webhook-id;
// a Worker leases what is due, makes one attempt of each (signed, the same webhook-id every
// time, as the Deliverer does), records it and settles the message: delivered, pending again
// at the schedule's next time (or the receiver's Retry-After), or dead with the reason. A
// worker killed at any moment loses nothing: its leases expire and a worker delivers the
// messages later with their webhook-ids unchanged (at least once; receivers deduplicate).
//
// Thread-safety: enqueue() may be called from any thread. A Worker is immutable after
// create() and may run from several threads, and several workers (in several processes) may
// share one store: each message is leased to one of them at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/delivery/endpoint_policy.hpp"
#include "chathooks/delivery/observer.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/message.hpp"
#include "chathooks/http/transport.hpp"
#include "chathooks/outbox/store.hpp"
#include "chathooks/signing/signer.hpp"

namespace chathooks::outbox {

/// The default waits between attempts, Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; eight
/// attempts over about 27.6 hours, then the message is dead.
CHATHOOKS_API std::vector<std::chrono::milliseconds> default_schedule();

/// Options of enqueue().
struct EnqueueOptions {
  /// A label for people and tools ("flw-dispatch"); not interpreted.
  std::string kind;
  /// The first attempt is due then; empty: now.
  std::optional<std::chrono::system_clock::time_point> not_before;
  /// Wall clock; empty: std::chrono::system_clock::now.
  std::function<std::chrono::system_clock::time_point()> system_now;
};

/// Stores `request` for delivery, durably, and returns its webhook-id: the request's own
/// `webhook-id` header when it has a non-empty one, else a new id. The webhook-id,
/// webhook-timestamp and webhook-signature headers are not stored: each attempt sets them.
/// Errc::invalid_argument for a request without a URL, Errc::duplicate when the id is stored
/// already, Errc::storage when the store failed (nothing stored).
CHATHOOKS_API Result<std::string> enqueue(OutboxStore& store, http::HttpRequest request,
                                          EnqueueOptions options = {});

/// Closes the breaker of `endpoint` (any URL of it, or its EndpointPolicy::endpoint_of() form)
/// and re-enables it if a 410 disabled it, for every worker sharing `store`: saves it as closed,
/// stamped now; workers apply it on their next read (WorkerOptions::endpoint_sync).
/// Errc::invalid_argument for a text with no endpoint, Errc::storage when the store failed.
CHATHOOKS_API Result<void> enable_endpoint(
    OutboxStore& store, std::string_view endpoint,
    std::function<std::chrono::system_clock::time_point()> system_now = {});

/// The message enqueue() would store for `request`, without storing it: for a host that stores
/// it itself, e.g. inside its own database transaction (postgres_insert() in
/// postgres_store.hpp). Errc::invalid_argument for a request without a URL.
CHATHOOKS_API Result<StoredMessage> make_message(http::HttpRequest request,
                                                 EnqueueOptions options = {});

/// What a Worker tells its observer after each attempt.
struct AttemptEvent {
  /// The message as leased (attempts: the count before this attempt).
  const StoredMessage& message;
  /// The attempt.
  const AttemptLog& attempt;
  /// What became of the message.
  const Settlement& settlement;
  /// False when the settlement did not take (Errc::lease_lost: the lease expired during the
  /// attempt and the message may be with another worker, which will attempt it again).
  bool settled = true;
};

/// Options of Worker::create().
struct WorkerOptions {
  /// Signing keys (Standard Webhooks, as DelivererOptions::signing_keys); empty: unsigned,
  /// though every attempt still carries the webhook-id header.
  std::vector<std::string> signing_keys;
  /// A Signer instead of keys (wins when both are set).
  std::optional<signing::Signer> signer;
  /// Wait before attempt n + 1 after attempt n failed in a way worth retrying (408, 425, 429,
  /// 500, 502, 503, 504, connection errors, timeouts: delivery::RetrySchedule's rules);
  /// after schedule.size() + 1 attempts the message is dead. A Retry-After replaces the wait,
  /// capped at retry_after_cap.
  std::vector<std::chrono::milliseconds> schedule = default_schedule();
  /// Largest wait a Retry-After may impose.
  std::chrono::milliseconds retry_after_cap{std::chrono::hours(10)};
  /// How long a worker holds a leased message. Each attempt's timeout is cut to three
  /// quarters of it, and a batch whose attempts are still under way when the earliest lease
  /// expires is cancelled and settled as timeouts; the transport's own timeout should be
  /// shorter still. A lease that expires unsettled counts as a failed attempt.
  std::chrono::milliseconds lease{std::chrono::minutes(2)};
  /// Messages leased and attempted together, over the transport's async path: at once with
  /// the libcurl transport (keep it at most its max_connections_per_host, 16 by default, or
  /// the rest wait in curl's queue and their timeouts run there); one after another with a
  /// transport that implements only send(), so then keep batch * timeout within the lease.
  std::size_t batch = 16;
  /// Longest sleep between two looks at the store when nothing is due (run()); from 1 ms to
  /// 24 h.
  std::chrono::milliseconds idle_poll{std::chrono::seconds(1)};
  /// Called after each attempt, on the thread that runs the worker.
  std::function<void(const AttemptEvent&)> on_attempt;
  /// Sees each attempt as it starts and ends (DeliveryInfo::protocol "outbox"; delay_before
  /// is zero: the waits are the store's) and each message delivered or dead (DeliveryEnd with
  /// this run's attempt only), on the thread that runs the worker; null: none. The same
  /// observer a Deliverer takes (chathooks/delivery/observer.hpp), so one metrics registry
  /// serves both.
  std::shared_ptr<delivery::DeliveryObserver> observer;
  /// Circuit breakers and rate limits per endpoint (chathooks/delivery/endpoint_policy.hpp),
  /// shared with Deliverers if wanted; null: none. A message whose endpoint is paused is handed
  /// back to the store unattempted (OutboxStore::defer, no attempt counted), due when a probe
  /// may go; one over the rate limit is sent later in its batch when its slot is due, or handed
  /// back when the slot is more than a quarter of the lease away; a message to an endpoint
  /// disabled by a 410 is dead (Errc::endpoint_disabled). The breakers are durable: each
  /// change of state (paused, disabled, closed again) is saved in the store
  /// (OutboxStore::save_endpoint) after the batch that made it, and the store's records are
  /// read before a batch (every `endpoint_sync`, and on the first batch), so a restarted
  /// worker and the other workers sharing the store start from them; a record saved later than
  /// what a worker knows wins (enable_endpoint() re-enables an endpoint fleet-wide). The rate
  /// limit is per process.
  std::shared_ptr<delivery::EndpointPolicy> endpoints;
  /// How often a worker reads the breaker states its fleet saved in the store (see
  /// `endpoints`); 0: before every batch. From 0 to 24 h.
  std::chrono::milliseconds endpoint_sync{std::chrono::seconds(1)};
  /// Wall clock; empty: std::chrono::system_clock::now.
  std::function<std::chrono::system_clock::time_point()> system_now;
};

/// What a Worker did.
struct RunSummary {
  std::uint64_t delivered = 0;  ///< Messages delivered.
  std::uint64_t retried = 0;    ///< Attempts that failed and left the message pending.
  std::uint64_t dead = 0;       ///< Messages given up.
  std::uint64_t lost = 0;       ///< Settlements refused with Errc::lease_lost.
  std::uint64_t deferred = 0;   ///< Messages handed back unattempted (WorkerOptions::endpoints).
};

/// Delivers an outbox's messages. See the header comment.
class CHATHOOKS_API Worker {
 public:
  /// A worker over `store` and `transport`. Errc::invalid_argument for a null store or
  /// transport, a zero batch or lease, an idle_poll out of range, or a negative wait in the
  /// schedule; Errc::invalid_secret
  /// for a key the Signer refuses.
  static Result<Worker> create(std::shared_ptr<OutboxStore> store,
                               std::shared_ptr<http::HttpTransport> transport,
                               WorkerOptions options = {});

  /// Leases up to `batch` due messages, attempts them, settles each and returns what happened
  /// (all zero when nothing was due). A store failure is returned after every attempt made has
  /// been settled or reported; a message whose settlement failed waits for its lease to expire
  /// and is attempted again (the receiver deduplicates). A transport that throws is an
  /// Errc::internal attempt, not an exception out of here.
  Result<RunSummary> run_once() const;

  /// run_once() again and again until `stop` is true, sleeping until the next message is due
  /// (at most idle_poll) when nothing is. Once `stop` is set it finishes the batch in hand
  /// (every leased message attempted and settled, nothing held) and returns. A store failure
  /// ends it with that error: check the result (a delivery thread that ended quietly would
  /// leave enqueued messages waiting).
  Result<RunSummary> run(const std::atomic<bool>& stop) const;

  /// The same, but returns as soon as no message is pending or in flight (or `stop` is set):
  /// it waits for due retries, however far away.
  Result<RunSummary> run_until_empty(const std::atomic<bool>& stop) const;

  /// Internals, shared by copies.
  struct Impl;

 private:
  explicit Worker(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace chathooks::outbox
