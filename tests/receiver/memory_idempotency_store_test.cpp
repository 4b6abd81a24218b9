// Tests of MemoryIdempotencyStore on one thread: claim, in progress, completed, release,
// expiry with an injected clock, eviction by count and by bytes, an answer too big to keep,
// complete() and release() of keys that are not claimed, and the SipHash index's reference
// vectors. The concurrency tests are in memory_idempotency_store_concurrency_test.cpp.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "catch.hpp"
#include "chathooks/receiver/idempotency_store.hpp"
#include "receiver/siphash.hpp"

using chathooks::Errc;
using chathooks::receiver::Claim;
using chathooks::receiver::ClaimState;
using chathooks::receiver::MemoryIdempotencyStore;
using chathooks::receiver::MemoryIdempotencyStoreOptions;
using chathooks::receiver::StoredReply;
using std::chrono::seconds;

namespace {

using TimePoint = std::chrono::steady_clock::time_point;

// A clock the test moves by hand.
struct ManualClock {
  std::shared_ptr<TimePoint> now = std::make_shared<TimePoint>(std::chrono::hours(1000));
  void advance(seconds by) { *now += by; }
  std::function<TimePoint()> function() const {
    auto shared = now;
    return [shared] { return *shared; };
  }
};

std::shared_ptr<MemoryIdempotencyStore> make_store(MemoryIdempotencyStoreOptions options = {}) {
  auto store = MemoryIdempotencyStore::create(std::move(options));
  REQUIRE(store);
  return *store;
}

ClaimState state_of(MemoryIdempotencyStore& store, const std::string& key,
                    seconds ttl = seconds(600)) {
  auto claim = store.claim(key, "", ttl);
  REQUIRE(claim);
  return claim->state;
}

// Claims `key` (it must be new) and returns the claim's token.
std::string token_of_new(MemoryIdempotencyStore& store, const std::string& key) {
  auto claim = store.claim(key, "", seconds(600));
  REQUIRE(claim);
  REQUIRE(claim->state == ClaimState::claimed);
  return claim->token;
}

StoredReply reply(int status, std::string body) {
  return StoredReply{status, body.empty() ? "" : "application/json", std::move(body)};
}

}  // namespace

TEST_CASE("MemoryIdempotencyStore claims an unknown key once, then reports it in progress") {
  const auto store = make_store();
  auto first = store->claim("flw:msg_1", "", seconds(600));
  REQUIRE(first);
  CHECK(first->state == ClaimState::claimed);
  CHECK_FALSE(first->reply);
  auto second = store->claim("flw:msg_1", "", seconds(600));
  REQUIRE(second);
  CHECK(second->state == ClaimState::in_progress);
  CHECK_FALSE(second->reply);
  CHECK(state_of(*store, "flw:msg_2") == ClaimState::claimed);
  CHECK(store->size() == 2);
  CHECK(store->bytes() == 18);
}

TEST_CASE("MemoryIdempotencyStore answers a completed key with its reply") {
  const auto store = make_store();
  REQUIRE(state_of(*store, "k") == ClaimState::claimed);
  store->complete("k", "", reply(200, R"({"ok":true})"), seconds(600));
  for (int i = 0; i < 3; ++i) {
    auto claim = store->claim("k", "", seconds(600));
    REQUIRE(claim);
    CHECK(claim->state == ClaimState::completed);
    REQUIRE(claim->reply);
    CHECK(claim->reply->status == 200);
    CHECK(claim->reply->content_type == "application/json");
    CHECK(claim->reply->body == R"({"ok":true})");
  }
  CHECK(store->size() == 1);
  CHECK(store->bytes() == 1 + 16 + 11);
}

TEST_CASE("MemoryIdempotencyStore forgets a released claim") {
  const auto store = make_store();
  const std::string token = token_of_new(*store, "k");
  (void)store->release("k", "another claim's token");
  CHECK(state_of(*store, "k") == ClaimState::in_progress);
  (void)store->release("k", token);
  CHECK(store->size() == 0);
  CHECK(store->bytes() == 0);
  CHECK(state_of(*store, "k") == ClaimState::claimed);
  // Unknown keys are a no-op.
  (void)store->release("never-seen", token);
  CHECK(store->size() == 1);
}

TEST_CASE("MemoryIdempotencyStore keeps a completed answer on release") {
  const auto store = make_store();
  const std::string token = token_of_new(*store, "k");
  store->complete("k", "", reply(202, ""), seconds(600));
  (void)store->release("k", token);
  auto claim = store->claim("k", "", seconds(600));
  REQUIRE(claim);
  CHECK(claim->state == ClaimState::completed);
  REQUIRE(claim->reply);
  CHECK(claim->reply->status == 202);
  CHECK(claim->reply->body.empty());
}

TEST_CASE("MemoryIdempotencyStore records complete() of a key it does not hold") {
  const auto store = make_store();
  store->complete("unclaimed", "", reply(200, "{}"), seconds(600));
  CHECK(store->size() == 1);
  auto claim = store->claim("unclaimed", "", seconds(600));
  REQUIRE(claim);
  CHECK(claim->state == ClaimState::completed);
  REQUIRE(claim->reply);
  CHECK(claim->reply->body == "{}");
}

TEST_CASE("MemoryIdempotencyStore expires entries after their ttl") {
  ManualClock clock;
  MemoryIdempotencyStoreOptions options;
  options.steady_now = clock.function();
  const auto store = make_store(options);

  SECTION("a claim expires after the claim's ttl") {
    REQUIRE(state_of(*store, "k", seconds(10)) == ClaimState::claimed);
    clock.advance(seconds(9));
    CHECK(state_of(*store, "k") == ClaimState::in_progress);
    clock.advance(seconds(1));
    CHECK(state_of(*store, "k", seconds(10)) == ClaimState::claimed);
  }
  SECTION("a completed answer lives for the ttl given to complete(), from then") {
    REQUIRE(state_of(*store, "k", seconds(10)) == ClaimState::claimed);
    clock.advance(seconds(8));
    store->complete("k", "", reply(200, "{}"), seconds(100));
    clock.advance(seconds(99));
    CHECK(state_of(*store, "k") == ClaimState::completed);
    clock.advance(seconds(1));
    CHECK(state_of(*store, "k") == ClaimState::claimed);
  }
  SECTION("expired entries at the front are dropped by any call") {
    REQUIRE(state_of(*store, "a", seconds(10)) == ClaimState::claimed);
    REQUIRE(state_of(*store, "b", seconds(10)) == ClaimState::claimed);
    clock.advance(seconds(10));
    (void)store->release("unrelated", "");
    CHECK(store->size() == 0);
    CHECK(store->bytes() == 0);
  }
  SECTION("an expired entry behind a live one is absent for lookups") {
    REQUIRE(state_of(*store, "long", seconds(1000)) == ClaimState::claimed);
    REQUIRE(state_of(*store, "short", seconds(10)) == ClaimState::claimed);
    clock.advance(seconds(20));
    CHECK(store->size() == 2);  // not dropped yet: "long" is in front
    CHECK(state_of(*store, "short", seconds(10)) == ClaimState::claimed);
    CHECK(store->size() == 2);
    clock.advance(seconds(20));
    (void)store->release("short", "");  // expired: nothing to release, and nothing breaks
    CHECK(state_of(*store, "long") == ClaimState::in_progress);
  }
  SECTION("a zero or negative ttl expires at once; a huge one does not overflow") {
    REQUIRE(state_of(*store, "zero", seconds(0)) == ClaimState::claimed);
    CHECK(state_of(*store, "zero", seconds(0)) == ClaimState::claimed);
    REQUIRE(state_of(*store, "negative", seconds(-5)) == ClaimState::claimed);
    CHECK(state_of(*store, "negative") == ClaimState::claimed);
    REQUIRE(state_of(*store, "huge", seconds::max()) == ClaimState::claimed);
    clock.advance(seconds(1) * 1000000000);
    CHECK(state_of(*store, "huge") == ClaimState::in_progress);
  }
}

TEST_CASE("MemoryIdempotencyStore evicts the oldest keys beyond max_entries") {
  MemoryIdempotencyStoreOptions options;
  options.max_entries = 3;
  const auto store = make_store(options);
  for (const char* key : {"a", "b", "c", "d"})
    REQUIRE(state_of(*store, key) == ClaimState::claimed);
  CHECK(store->size() == 3);
  // "a" was forgotten: it is handled again (at-least-once); the others are still known.
  CHECK(state_of(*store, "b") == ClaimState::in_progress);
  CHECK(state_of(*store, "c") == ClaimState::in_progress);
  CHECK(state_of(*store, "d") == ClaimState::in_progress);
  CHECK(state_of(*store, "a") == ClaimState::claimed);  // evicts "b"
  CHECK(state_of(*store, "b") == ClaimState::claimed);  // evicts "c"
  CHECK(store->size() == 3);
}

TEST_CASE("MemoryIdempotencyStore moves a key to the back when it completes") {
  MemoryIdempotencyStoreOptions options;
  options.max_entries = 2;
  const auto store = make_store(options);
  REQUIRE(state_of(*store, "a") == ClaimState::claimed);
  REQUIRE(state_of(*store, "b") == ClaimState::claimed);
  store->complete("a", "", reply(200, "{}"), seconds(600));  // "a" is now the newest
  REQUIRE(state_of(*store, "c") == ClaimState::claimed);     // evicts "b"
  CHECK(state_of(*store, "a") == ClaimState::completed);
  CHECK(state_of(*store, "b") == ClaimState::claimed);
}

TEST_CASE("MemoryIdempotencyStore evicts the oldest keys beyond max_bytes") {
  MemoryIdempotencyStoreOptions options;
  options.max_bytes = 100;
  const auto store = make_store(options);
  // Each completed entry: key (2) + content type (16) + body (22) = 40 bytes.
  const std::string body(22, 'x');
  for (const char* key : {"k1", "k2"}) {
    REQUIRE(state_of(*store, key) == ClaimState::claimed);
    store->complete(key, "", reply(200, body), seconds(600));
  }
  CHECK(store->bytes() == 80);
  REQUIRE(state_of(*store, "k3") == ClaimState::claimed);  // 82 bytes: fits
  CHECK(store->size() == 3);
  store->complete("k3", "", reply(200, body), seconds(600));  // 120 bytes: "k1" goes
  CHECK(store->bytes() == 80);
  CHECK(store->size() == 2);
  CHECK(state_of(*store, "k2") == ClaimState::completed);
  CHECK(state_of(*store, "k3") == ClaimState::completed);
  CHECK(state_of(*store, "k1") == ClaimState::claimed);
  CHECK(store->bytes() <= 100);
}

TEST_CASE("MemoryIdempotencyStore keeps an answer too big for max_bytes without its body") {
  MemoryIdempotencyStoreOptions options;
  options.max_bytes = 64;
  const auto store = make_store(options);
  REQUIRE(state_of(*store, "old") == ClaimState::claimed);
  REQUIRE(state_of(*store, "big") == ClaimState::claimed);
  store->complete("big", "", reply(201, std::string(100, 'y')), seconds(600));
  auto claim = store->claim("big", "", seconds(600));
  REQUIRE(claim);
  CHECK(claim->state == ClaimState::completed);
  REQUIRE(claim->reply);
  CHECK(claim->reply->status == 201);
  CHECK(claim->reply->content_type.empty());
  CHECK(claim->reply->body.empty());
  // Only the key is counted, so the older entry did not need to go.
  CHECK(store->bytes() == 6);
  CHECK(state_of(*store, "old") == ClaimState::in_progress);
  // An answer exactly at the limit is kept whole: 3 + 16 + 45 = 64.
  store->complete("fit", "", reply(200, std::string(45, 'z')), seconds(600));
  auto fit = store->claim("fit", "", seconds(600));
  REQUIRE(fit);
  REQUIRE(fit->reply);
  CHECK(fit->reply->body.size() == 45);
  CHECK(store->bytes() == 64);
  CHECK(store->size() == 1);
}

TEST_CASE("MemoryIdempotencyStore holds a key longer than max_bytes alone") {
  MemoryIdempotencyStoreOptions options;
  options.max_bytes = 4;
  const auto store = make_store(options);
  REQUIRE(state_of(*store, "a") == ClaimState::claimed);
  const std::string long_key(10, 'k');
  REQUIRE(state_of(*store, long_key) == ClaimState::claimed);
  CHECK(store->size() == 1);  // "a" made room, the new key stays
  CHECK(state_of(*store, long_key) == ClaimState::in_progress);
}

TEST_CASE("MemoryIdempotencyStore refuses zero limits") {
  MemoryIdempotencyStoreOptions no_entries;
  no_entries.max_entries = 0;
  auto a = MemoryIdempotencyStore::create(no_entries);
  REQUIRE_FALSE(a);
  CHECK(a.error().code() == Errc::invalid_argument);
  MemoryIdempotencyStoreOptions no_bytes;
  no_bytes.max_bytes = 0;
  auto b = MemoryIdempotencyStore::create(no_bytes);
  REQUIRE_FALSE(b);
  CHECK(b.error().code() == Errc::invalid_argument);
}

TEST_CASE("MemoryIdempotencyStore stays within bounds over many keys") {
  MemoryIdempotencyStoreOptions options;
  options.max_entries = 1000;
  options.max_bytes = 20000;
  const auto store = make_store(options);
  for (int i = 0; i < 20000; ++i) {
    const std::string key = "boticario:" + std::to_string(i);
    const std::string token = token_of_new(*store, key);
    if (i % 2 == 0)
      store->complete(key, "", reply(200, std::string(static_cast<std::size_t>(i % 50), 'b')),
                      seconds(600));
    if (i % 7 == 0) (void)store->release(key, token);
    REQUIRE(store->size() <= 1000);
    REQUIRE(store->bytes() <= 20000);
  }
  // The newest keys are still known.
  CHECK(state_of(*store, "boticario:19997") == ClaimState::in_progress);
  CHECK(state_of(*store, "boticario:19999") == ClaimState::claimed);  // released (19999 = 7 * 2857)
  CHECK(state_of(*store, "boticario:19998") == ClaimState::completed);
}

TEST_CASE("siphash24 matches the reference vectors") {
  using chathooks::receiver::detail::siphash24;
  using chathooks::receiver::detail::SipKey;
  // Key 00 01 .. 0f, messages 00 01 .. (n-1): the SipHash paper's appendix A and vectors.h.
  const SipKey key{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
  std::string message;
  for (int i = 0; i < 15; ++i) message += static_cast<char>(i);
  CHECK(siphash24(key, "") == 0x726fdb47dd0e0e31ULL);
  CHECK(siphash24(key, message) == 0xa129ca6149be45e5ULL);
  CHECK(siphash24(key, message.substr(0, 8)) == 0x93f5f5799a932462ULL);
  // The key changes the hash.
  CHECK(siphash24(SipKey{1, 2}, message) != siphash24(key, message));
}
