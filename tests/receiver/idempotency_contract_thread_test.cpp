// The IdempotencyStore contract under concurrency, the same for every shared engine: threads on
// several store objects of one place (as separate processes would have) race to claim the same
// keys, and each key is claimed exactly once; completions and claims interleave without a key
// being handled twice. Each test program links one engine's make_idempotency_under_test().
// Thread-safety: the threads share the store objects, which is what is tested.
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/receiver/idempotency_store.hpp"
#include "idempotency_under_test.hpp"

using chathooks::receiver::ClaimState;
using chathooks::receiver::IdempotencyStore;
using chathooks::receiver::StoredReply;
using idempotency_test::make_idempotency_under_test;

namespace {

constexpr int kKeys = 200;
constexpr int kThreads = 8;
constexpr std::chrono::seconds kLong{3600};

struct Errors {
  std::mutex mutex;
  std::vector<std::string> messages;
  void add(std::string message) {
    std::lock_guard<std::mutex> lock(mutex);
    messages.push_back(std::move(message));
  }
};

// Runs `body(thread, store)` on kThreads threads, alternating between the store objects.
template <typename Body>
void race(const std::vector<std::shared_ptr<IdempotencyStore>>& stores, Body body) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] { body(t, *stores[static_cast<std::size_t>(t) % stores.size()]); });
  }
  for (auto& thread : threads) thread.join();
}

}  // namespace

TEST_CASE("IdempotencyStore: racing claims of the same keys claim each exactly once") {
  auto place = make_idempotency_under_test();
  const std::vector<std::shared_ptr<IdempotencyStore>> stores{place->open(), place->open()};
  std::vector<std::atomic<int>> claimed(kKeys);
  Errors errors;
  race(stores, [&](int t, IdempotencyStore& store) {
    for (int i = 0; i < kKeys; ++i) {
      const int k = (i + t * 25) % kKeys;  // threads start at different keys, then overlap
      auto result = store.claim("key_" + std::to_string(k), "digest", kLong);
      if (!result) {
        errors.add(result.error().message());
        return;
      }
      if (result->state == ClaimState::claimed) claimed[static_cast<std::size_t>(k)]++;
      if (result->state == ClaimState::conflict || result->state == ClaimState::completed) {
        errors.add("unexpected state for key_" + std::to_string(k));
      }
    }
  });
  INFO((errors.messages.empty() ? std::string() : errors.messages.front()));
  REQUIRE(errors.messages.empty());
  for (int k = 0; k < kKeys; ++k) {
    INFO("key_" << k);
    CHECK(claimed[static_cast<std::size_t>(k)].load() == 1);
  }
}

TEST_CASE("IdempotencyStore: claims, completions and releases interleave, one handler a key") {
  auto place = make_idempotency_under_test();
  const std::vector<std::shared_ptr<IdempotencyStore>> stores{place->open(), place->open()};
  // Every thread tries every key; whoever claims it either completes it or (every third key)
  // releases it first and claims it again. A key is completed exactly once, and every later
  // claim sees the completion with its answer.
  std::vector<std::atomic<int>> completed(kKeys);
  Errors errors;
  race(stores, [&](int t, IdempotencyStore& store) {
    for (int i = 0; i < kKeys; ++i) {
      const int k = (i + t * 25) % kKeys;
      const std::string key = "key_" + std::to_string(k);
      auto result = store.claim(key, "digest", kLong);
      if (!result) return errors.add(result.error().message());
      if (result->state == ClaimState::completed) {
        if (!result->reply || result->reply->body != key) errors.add("wrong answer for " + key);
        continue;
      }
      if (result->state != ClaimState::claimed) continue;
      if (k % 3 == 0) {
        if (auto released = store.release(key, result->token); !released) {
          return errors.add(released.error().message());
        }
        result = store.claim(key, "digest", kLong);
        if (!result) return errors.add(result.error().message());
        if (result->state != ClaimState::claimed) continue;  // another thread took it
      }
      if (auto done = store.complete(key, "digest", StoredReply{200, "text/plain", key}, kLong);
          !done) {
        return errors.add(done.error().message());
      }
      completed[static_cast<std::size_t>(k)]++;
    }
  });
  INFO((errors.messages.empty() ? std::string() : errors.messages.front()));
  REQUIRE(errors.messages.empty());
  for (int k = 0; k < kKeys; ++k) {
    INFO("key_" << k);
    CHECK(completed[static_cast<std::size_t>(k)].load() == 1);
    auto found = stores[0]->claim("key_" + std::to_string(k), "digest", kLong);
    REQUIRE(found);
    CHECK(found->state == ClaimState::completed);
  }
}
