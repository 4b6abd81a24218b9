// The OutboxStore contract under concurrency, the same for every engine: store objects on one
// place (as separate processes would have) and threads sharing one store object lease from
// the same messages, and every message is leased exactly once. Each test program links one
// engine's make_store_under_test() (store_under_test.hpp).
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/outbox/store.hpp"
#include "store_under_test.hpp"

using chathooks::outbox::AttemptLog;
using chathooks::outbox::Lease;
using chathooks::outbox::OutboxStore;
using chathooks::outbox::Settlement;
using chathooks::outbox::StoredMessage;
using std::chrono::milliseconds;

namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr int kMessages = 200;

const TimePoint kNow = TimePoint(milliseconds(std::int64_t{1'700'000'000'000}));

void fill(OutboxStore& store) {
  for (int i = 0; i < kMessages; ++i) {
    StoredMessage m;
    m.id = "msg_" + std::to_string(i);
    m.request.url = "https://example.com/hooks";
    m.request.body = std::to_string(i);
    m.next_attempt_at = kNow - milliseconds(kMessages - i);
    REQUIRE(store.enqueue(m));
  }
}

// Each worker leases (a few at a time, with a lease far longer than the test) and settles
// what it got until nothing is left; returns how often each id was leased, and the errors.
struct Tally {
  std::mutex mutex;
  std::map<std::string, int> leased;
  std::vector<std::string> errors;
};

// `now`: when the workers lease; kNow for pending messages, later for expired leases.
void work(OutboxStore& store, Tally& tally, TimePoint now = kNow) {
  for (;;) {
    auto leases = store.lease(3, now, std::chrono::hours(1));
    if (!leases) {
      std::lock_guard<std::mutex> lock(tally.mutex);
      tally.errors.push_back(leases.error().message());
      return;
    }
    if (leases->empty()) return;
    for (const Lease& lease : *leases) {
      {
        std::lock_guard<std::mutex> lock(tally.mutex);
        ++tally.leased[lease.message.id];
      }
      AttemptLog attempt;
      attempt.number = 1;
      attempt.started_at = kNow;
      attempt.status = 200;
      auto settled = store.settle(lease, attempt, Settlement{Settlement::Kind::delivered, {}, ""});
      if (!settled) {
        std::lock_guard<std::mutex> lock(tally.mutex);
        tally.errors.push_back(settled.error().message());
      }
    }
  }
}

void check_each_leased_once(OutboxStore& store, Tally& tally) {
  for (const auto& error : tally.errors) FAIL_CHECK(error);
  CHECK(tally.leased.size() == static_cast<std::size_t>(kMessages));
  int twice = 0;
  for (const auto& [id, times] : tally.leased) {
    if (times != 1) ++twice;
  }
  CHECK(twice == 0);
  auto counts = store.counts();
  REQUIRE(counts);
  CHECK(counts->delivered == static_cast<std::uint64_t>(kMessages));
  CHECK(counts->pending == 0);
  CHECK(counts->in_flight == 0);
}

}  // namespace

TEST_CASE("Two OutboxStore objects on one place never lease the same message") {
  auto where = outbox_test::make_store_under_test();
  auto first = where->open();
  auto second = where->open();
  fill(*first);

  Tally tally;
  std::thread a([&] { work(*first, tally); });
  std::thread b([&] { work(*second, tally); });
  a.join();
  b.join();
  check_each_leased_once(*second, tally);
}

TEST_CASE("Threads sharing one OutboxStore never lease the same message") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  fill(*store);

  Tally tally;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&] { work(*store, tally); });
  for (auto& thread : threads) thread.join();
  check_each_leased_once(*store, tally);
}

TEST_CASE("Threads on two OutboxStore objects never take the same expired lease twice") {
  auto where = outbox_test::make_store_under_test();
  auto first = where->open();
  auto second = where->open();
  fill(*first);
  // Every message leased once for 1 ms, then never settled: at kNow + 1 h all have expired.
  auto held = first->lease(static_cast<std::size_t>(kMessages), kNow, milliseconds(1));
  REQUIRE(held);
  REQUIRE(held->size() == static_cast<std::size_t>(kMessages));

  Tally tally;
  const TimePoint later = kNow + std::chrono::hours(1);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { work(*first, tally, later); });
  threads.emplace_back([&] { work(*first, tally, later); });
  threads.emplace_back([&] { work(*second, tally, later); });
  threads.emplace_back([&] { work(*second, tally, later); });
  for (auto& thread : threads) thread.join();
  check_each_leased_once(*second, tally);
}
