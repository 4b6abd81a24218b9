// The in-memory IdempotencyStore: a hash index over a list kept in insertion order (a key moves
// to the back when it completes), so that the oldest entries, the first to expire and the first
// to be evicted, are always at the front. One mutex guards everything; each call does O(1)
// work plus the expired or evicted entries it drops, each dropped once (amortised O(1)).
#include <openssl/err.h>
#include <openssl/rand.h>

#include <cstdint>
#include <iterator>
#include <list>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "chathooks/receiver/idempotency_store.hpp"
#include "receiver/siphash.hpp"

namespace chathooks::receiver {

IdempotencyStore::~IdempotencyStore() = default;

namespace {

using Clock = std::chrono::steady_clock;

struct Entry {
  std::string key;
  std::string digest;
  std::string token;  // while in progress: the claim's
  bool completed = false;
  // Shared so that a duplicate's copy of a large body is made outside the lock.
  std::shared_ptr<const StoredReply> reply;
  Clock::time_point expires;
  std::size_t bytes = 0;  // key + digest + content type + body
};

// A recorded digest and a new one name different bodies (an empty one matches anything).
bool digests_differ(const std::string& recorded, const std::string& given) {
  return !recorded.empty() && !given.empty() && recorded != given;
}

using Order = std::list<Entry>;

struct KeyHash {
  detail::SipKey key;
  std::size_t operator()(std::string_view text) const noexcept {
    return static_cast<std::size_t>(detail::siphash24(key, text));
  }
};

// now + ttl, saturated at the clock's end instead of overflowing (an injected clock may be
// anywhere in its range); a ttl of 0 or less expires at once.
Clock::time_point expiry(Clock::time_point now, std::chrono::seconds ttl) {
  if (ttl <= std::chrono::seconds::zero()) return now;
  constexpr auto kMax = Clock::duration::max();
  if (ttl >= std::chrono::duration_cast<std::chrono::seconds>(kMax))
    return Clock::time_point::max();
  const auto step = std::chrono::duration_cast<Clock::duration>(ttl);
  const auto since = now.time_since_epoch();
  if (since > Clock::duration::zero() && step > kMax - since) return Clock::time_point::max();
  return now + step;
}

}  // namespace

struct MemoryIdempotencyStore::Impl {
  Impl(MemoryIdempotencyStoreOptions opts, detail::SipKey hash_key)
      : options(std::move(opts)), index(16, KeyHash{hash_key}) {}

  MemoryIdempotencyStoreOptions options;
  mutable std::mutex mutex;
  Order order;  // oldest first
  // Keys are views of the strings held by `order`'s nodes, which never move.
  std::unordered_map<std::string_view, Order::iterator, KeyHash> index;
  std::size_t bytes = 0;
  std::uint64_t claims = 0;  // numbers the claims' tokens

  Clock::time_point now() const { return options.steady_now ? options.steady_now() : Clock::now(); }

  void erase(Order::iterator it) {
    index.erase(std::string_view(it->key));
    bytes -= it->bytes;
    order.erase(it);
  }

  // Drops the expired entries at the front. One that expired behind a live one (a longer ttl
  // in front of it) stays until it reaches the front, but find() treats it as absent.
  void drop_expired(Clock::time_point time) {
    while (!order.empty() && order.front().expires <= time) erase(order.begin());
  }

  // The live entry for `key`, or end(); an expired one found here is dropped.
  Order::iterator find(const std::string& key, Clock::time_point time) {
    const auto found = index.find(std::string_view(key));
    if (found == index.end()) return order.end();
    const Order::iterator it = found->second;
    if (it->expires <= time) {
      erase(it);
      return order.end();
    }
    return it;
  }

  // Forgets the oldest entries until both bounds hold, but never the newest entry (the one just
  // recorded): a key bigger than max_bytes alone is still held, so that its claim means
  // something.
  void enforce_bounds() {
    while (order.size() > 1 && (order.size() > options.max_entries || bytes > options.max_bytes)) {
      erase(order.begin());
    }
  }

  void append(Entry entry) {
    bytes += entry.bytes;
    order.push_back(std::move(entry));
    const auto it = std::prev(order.end());
    index.emplace(std::string_view(it->key), it);
  }
};

Result<std::shared_ptr<MemoryIdempotencyStore>> MemoryIdempotencyStore::create(
    MemoryIdempotencyStoreOptions options) {
  if (options.max_entries == 0) {
    return Error(Errc::invalid_argument, "max_entries of an idempotency store must be at least 1");
  }
  if (options.max_bytes == 0) {
    return Error(Errc::invalid_argument, "max_bytes of an idempotency store must be at least 1");
  }
  unsigned char seed[16];
  if (RAND_bytes(seed, sizeof seed) != 1) {
    ERR_clear_error();
    return Error(Errc::internal, "the random generator failed to key the idempotency store");
  }
  detail::SipKey hash_key;
  for (std::size_t i = 0; i < 8; ++i) {
    hash_key.k0 |= static_cast<std::uint64_t>(seed[i]) << (8 * i);
    hash_key.k1 |= static_cast<std::uint64_t>(seed[8 + i]) << (8 * i);
  }
  auto impl = std::make_unique<Impl>(std::move(options), hash_key);
  return std::shared_ptr<MemoryIdempotencyStore>(new MemoryIdempotencyStore(std::move(impl)));
}

MemoryIdempotencyStore::MemoryIdempotencyStore(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

MemoryIdempotencyStore::~MemoryIdempotencyStore() = default;

Result<Claim> MemoryIdempotencyStore::claim(const std::string& key, const std::string& digest,
                                            std::chrono::seconds ttl) {
  Impl& s = *impl_;
  Entry entry;
  entry.key = key;
  entry.digest = digest;
  entry.bytes = key.size() + digest.size();
  std::shared_ptr<const StoredReply> stored;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    const auto now = s.now();
    s.drop_expired(now);
    const auto it = s.find(key, now);
    if (it == s.order.end()) {
      entry.expires = expiry(now, ttl);
      entry.token = std::to_string(++s.claims);
      Claim claimed;
      claimed.token = entry.token;
      s.append(std::move(entry));
      s.enforce_bounds();
      return claimed;
    }
    if (digests_differ(it->digest, digest)) return Claim{ClaimState::conflict, std::nullopt, {}};
    if (!it->completed) return Claim{ClaimState::in_progress, std::nullopt, {}};
    stored = it->reply;
  }
  return Claim{ClaimState::completed, *stored, {}};
}

Result<void> MemoryIdempotencyStore::complete(const std::string& key, const std::string& digest,
                                              const StoredReply& reply, std::chrono::seconds ttl) {
  Impl& s = *impl_;
  // Copied before the lock: the body may be large.
  Entry entry;
  entry.key = key;
  entry.digest = digest;
  entry.completed = true;
  if (key.size() + digest.size() + reply.content_type.size() + reply.body.size() <=
      s.options.max_bytes) {
    entry.reply = std::make_shared<const StoredReply>(reply);
  } else {  // too big to keep whole: a duplicate gets the status alone (no type, no body)
    entry.reply = std::make_shared<const StoredReply>(StoredReply{reply.status, {}, {}});
  }
  entry.bytes =
      key.size() + digest.size() + entry.reply->content_type.size() + entry.reply->body.size();

  std::lock_guard<std::mutex> lock(s.mutex);
  const auto now = s.now();
  entry.expires = expiry(now, ttl);
  s.drop_expired(now);
  // Whatever was recorded (our claim, or nothing if it was evicted or expired) is replaced by a
  // new entry at the back: it was handled now, so it is the newest.
  const auto found = s.index.find(std::string_view(key));
  if (found != s.index.end()) s.erase(found->second);
  s.append(std::move(entry));
  s.enforce_bounds();
  return {};
}

Result<void> MemoryIdempotencyStore::release(const std::string& key, const std::string& token) {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.mutex);
  const auto now = s.now();
  s.drop_expired(now);
  const auto it = s.find(key, now);
  // Only this caller's claim is released: a completed answer (recorded by whoever handled the
  // key after this caller's claim was evicted), or another caller's claim, is kept.
  if (it != s.order.end() && !it->completed && it->token == token) s.erase(it);
  return {};
}

std::size_t MemoryIdempotencyStore::size() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->order.size();
}

std::size_t MemoryIdempotencyStore::bytes() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->bytes;
}

}  // namespace chathooks::receiver
