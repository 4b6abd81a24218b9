// MemoryIdempotencyStore under 8 threads at once: exactly one claimer per key however the
// threads interleave, duplicates see the one answer, and the bounds hold while threads insert,
// complete, release and evict. Its own executable, labelled "concurrency", so that the
// ThreadSanitizer build can run it alone (ctest -L concurrency).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/receiver/idempotency_store.hpp"

using chathooks::receiver::ClaimState;
using chathooks::receiver::MemoryIdempotencyStore;
using chathooks::receiver::MemoryIdempotencyStoreOptions;
using chathooks::receiver::StoredReply;
using std::chrono::seconds;

namespace {

constexpr int kThreads = 8;

// Lets every thread start its round at the same time, round after round.
class Barrier {
 public:
  explicit Barrier(int count) : count_(count) {}
  void arrive_and_wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    const long generation = generation_;
    if (++waiting_ == count_) {
      waiting_ = 0;
      ++generation_;
      changed_.notify_all();
      return;
    }
    changed_.wait(lock, [&] { return generation_ != generation; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int count_;
  int waiting_ = 0;
  long generation_ = 0;
};

std::shared_ptr<MemoryIdempotencyStore> make_store(MemoryIdempotencyStoreOptions options = {}) {
  auto store = MemoryIdempotencyStore::create(std::move(options));
  REQUIRE(store);
  return *store;
}

template <class Body>
void run_threads(Body body) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(body, t);
  for (auto& thread : threads) thread.join();
}

}  // namespace

TEST_CASE("MemoryIdempotencyStore: 8 threads claiming the same keys, one claimer per key",
          "[concurrency]") {
  const auto store = make_store();
  constexpr int kRounds = 200;
  Barrier barrier(kThreads);
  // Per round: how many threads got `claimed`, and what the others saw after it completed.
  std::vector<std::atomic<int>> claimed(kRounds);
  std::atomic<int> wrong_replies{0};
  std::atomic<int> errors{0};
  run_threads([&](int thread) {
    for (int round = 0; round < kRounds; ++round) {
      const std::string key = "flw:round-" + std::to_string(round);
      barrier.arrive_and_wait();
      auto claim = store->claim(key, "", seconds(600));
      if (!claim) {
        ++errors;
        continue;
      }
      if (claim->state == ClaimState::claimed) {
        ++claimed[static_cast<std::size_t>(round)];
        store->complete(
            key, "",
            StoredReply{200, "application/json", "{\"round\":" + std::to_string(round) + "}"},
            seconds(600));
      }
      barrier.arrive_and_wait();  // every claimer has completed
      auto again = store->claim(key, "", seconds(600));
      if (!again || again->state != ClaimState::completed || !again->reply ||
          again->reply->body != "{\"round\":" + std::to_string(round) + "}") {
        ++wrong_replies;
      }
      (void)thread;
    }
  });
  CHECK(errors == 0);
  CHECK(wrong_replies == 0);
  for (int round = 0; round < kRounds; ++round) {
    CAPTURE(round);
    CHECK(claimed[static_cast<std::size_t>(round)] == 1);
  }
  CHECK(store->size() == kRounds);
}

TEST_CASE("MemoryIdempotencyStore: 8 threads on different keys, with eviction", "[concurrency]") {
  MemoryIdempotencyStoreOptions options;
  options.max_entries = 500;
  options.max_bytes = 16 << 10;
  const auto store = make_store(options);
  constexpr int kKeysPerThread = 3000;
  std::atomic<int> not_claimed{0};
  std::atomic<int> over_bounds{0};
  run_threads([&](int thread) {
    for (int i = 0; i < kKeysPerThread; ++i) {
      const std::string key = "cliengo:" + std::to_string(thread) + "-" + std::to_string(i);
      auto claim = store->claim(key, "", seconds(600));
      // Keys are distinct per thread: nobody else can have claimed this one.
      if (!claim || claim->state != ClaimState::claimed) ++not_claimed;
      switch (i % 3) {
        case 0:
          store->complete(key, "", StoredReply{200, "application/json", std::string(40, 'r')},
                          seconds(600));
          break;
        case 1:
          (void)store->release(key, claim->token);
          break;
        default:
          break;  // left in progress
      }
      // A shared key too, claimed, released and completed by everyone at once.
      auto shared = store->claim("cliengo:shared", "", seconds(600));
      if (shared && shared->state == ClaimState::claimed) {
        if (i % 2 == 0) {
          (void)store->release("cliengo:shared", shared->token);
        } else {
          store->complete("cliengo:shared", "", StoredReply{200, "", ""}, seconds(1));
        }
      }
      if (store->size() > options.max_entries || store->bytes() > options.max_bytes) ++over_bounds;
    }
  });
  CHECK(not_claimed == 0);
  CHECK(over_bounds == 0);
  CHECK(store->size() <= options.max_entries);
  CHECK(store->bytes() <= options.max_bytes);
}
