// Deduplication for receivers: an IdempotencyStore remembers, per delivery key (the
// `webhook-id`, or a key taken from the payload), that a delivery is being handled or was
// handled, the digest of its body, and its answer, so that a retried or replayed delivery is
// answered again without calling the handler twice, and a reused key with another body is
// refused. MemoryIdempotencyStore is the in-process default; a fleet of receivers shares one
// store: open_sqlite_idempotency_store, open_postgres_idempotency_store,
// open_redis_idempotency_store (their own headers), or the host's own implementing the three
// calls.
// Thread-safety: implementations must be safe to call from any number of threads at once (and,
// for shared stores, from any number of processes); every store in the SDK is.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"

namespace chathooks::receiver {

/// The answer given to a delivery, kept to answer its duplicates the same way.
struct StoredReply {
  int status = 200;          ///< the HTTP status
  std::string content_type;  ///< the Content-Type, empty when the body is empty
  std::string body;          ///< the body
};

/// Where a key stands, as IdempotencyStore::claim() found it.
enum class ClaimState {
  claimed,      ///< The key was unknown: it is now in progress, and the caller handles it.
  in_progress,  ///< Another caller claimed it and has not finished.
  completed,    ///< It was handled; Claim::reply holds the answer.
  conflict,     ///< It was claimed or handled with another body digest: not the same delivery.
};

/// What IdempotencyStore::claim() found.
struct Claim {
  /// Where the key stands; see ClaimState.
  ClaimState state = ClaimState::claimed;
  /// The stored answer when state is completed.
  std::optional<StoredReply> reply;
  /// When state is claimed: a token unique to this claim, which release() takes, so that a
  /// caller whose claim expired and was taken by another cannot forget the other's claim.
  /// Empty otherwise.
  std::string token;
};

/// Remembers deliveries by key. Keys are at most a few hundred bytes of printable text.
class CHATHOOKS_API IdempotencyStore {
 public:
  /// Virtual: stores are owned through std::shared_ptr<IdempotencyStore>.
  virtual ~IdempotencyStore();
  /// Atomically: when `key` is unknown (or expired), records it as in progress, with `digest`,
  /// for `ttl` (the claim timeout: if the caller dies, the key can be claimed again after it)
  /// and answers claimed. Otherwise answers conflict when a digest is recorded and differs from
  /// `digest` (both non-empty), else what is recorded (in_progress, or completed with the
  /// answer). An error (a shared store that cannot be reached) makes the receiver answer 503 so
  /// the sender retries later.
  virtual Result<Claim> claim(const std::string& key, const std::string& digest,
                              std::chrono::seconds ttl) = 0;
  /// Records that `key`, which the caller claimed with `digest`, was handled with `reply`;
  /// remembered for `ttl` from now (recorded even if the claim expired meanwhile). An error
  /// leaves the claim to expire; the receiver still sends the answer and reports the error in
  /// Reply::store_error.
  virtual Result<void> complete(const std::string& key, const std::string& digest,
                                const StoredReply& reply, std::chrono::seconds ttl) = 0;
  /// Forgets `key` while it is in progress under the claim whose Claim::token is `token`: the
  /// caller claimed it and could not handle it (a refusal, a handler that threw), so that the
  /// sender's retry is handled. A completed key, or one claimed again by another caller after
  /// this claim expired, is kept. An error leaves the claim to expire (Reply::store_error).
  virtual Result<void> release(const std::string& key, const std::string& token) = 0;
};

/// Limits of a MemoryIdempotencyStore.
struct MemoryIdempotencyStoreOptions {
  /// The most keys kept; beyond it the oldest are forgotten first. Must be at least 1.
  std::size_t max_entries = 100000;
  /// The most bytes of keys and stored answers kept (approximately: the key, content type and
  /// body bytes held, not the allocator's overhead); beyond it the oldest are forgotten first.
  /// An answer whose key, content type and body together exceed this alone is kept without its
  /// content type and body (the duplicate then gets the status only). The newest entry is never
  /// forgotten to make room for itself, so a key longer than this is still held.
  std::size_t max_bytes = 64u << 20;
  /// Monotonic clock: when entries expire. Default, when empty: std::chrono::steady_clock::now.
  /// Tests inject their own. It is called with the store's lock held, so it need not be
  /// thread-safe itself.
  std::function<std::chrono::steady_clock::time_point()> steady_now;
};

/// The in-memory IdempotencyStore: entries expire after their ttl, memory stays within the
/// options' bounds by forgetting the oldest entries first (a forgotten key is handled again
/// if it comes back: at-least-once, never a lost delivery). One mutex; every call is O(1)
/// amortised (the index is keyed with SipHash under a random key, so that a sender cannot
/// choose colliding keys). complete() of a key that is not claimed (evicted, expired) records
/// it; release() forgets a key only while it is in progress under the token given (an unknown,
/// completed or re-claimed key is left as it is). A key moves to the back of the eviction order
/// when it completes. The digest is held with the key (counted in max_bytes).
class CHATHOOKS_API MemoryIdempotencyStore final : public IdempotencyStore {
 public:
  /// Errc::invalid_argument when max_entries or max_bytes is 0.
  static Result<std::shared_ptr<MemoryIdempotencyStore>> create(
      MemoryIdempotencyStoreOptions options = {});

  /// See IdempotencyStore::claim. Never fails; an expired entry counts as unknown.
  Result<Claim> claim(const std::string& key, const std::string& digest,
                      std::chrono::seconds ttl) override;
  /// See IdempotencyStore::complete and the class comment (an unclaimed key is recorded too).
  /// Never fails.
  Result<void> complete(const std::string& key, const std::string& digest, const StoredReply& reply,
                        std::chrono::seconds ttl) override;
  /// See IdempotencyStore::release and the class comment. Never fails.
  Result<void> release(const std::string& key, const std::string& token) override;

  /// How many keys are held now (expired ones not yet dropped included).
  std::size_t size() const;
  /// How many bytes of text are held now.
  std::size_t bytes() const;

  /// Frees every entry.
  ~MemoryIdempotencyStore() override;
  /// Not copyable: receivers share one store through a shared_ptr.
  MemoryIdempotencyStore(const MemoryIdempotencyStore&) = delete;
  /// Not copyable: receivers share one store through a shared_ptr.
  MemoryIdempotencyStore& operator=(const MemoryIdempotencyStore&) = delete;

 private:
  struct Impl;
  explicit MemoryIdempotencyStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace chathooks::receiver
