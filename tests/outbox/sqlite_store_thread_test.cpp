// The SQLite outbox store under concurrency: store objects on one file (as separate processes
// would have) and threads sharing one store object lease from the same messages, and every
// message is leased exactly once; two store objects may also create a new file at once.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/outbox/sqlite_store.hpp"
#include "outbox_test_support.hpp"

using chathooks::outbox::AttemptLog;
using chathooks::outbox::Lease;
using chathooks::outbox::open_sqlite_store;
using chathooks::outbox::OutboxStore;
using chathooks::outbox::Settlement;
using chathooks::outbox::SqliteStoreOptions;
using chathooks::outbox::StoredMessage;
using std::chrono::milliseconds;

namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr int kMessages = 200;

using TempDb = outbox_test::TempFile;

const TimePoint kNow = TimePoint(milliseconds(std::int64_t{1'700'000'000'000}));

std::shared_ptr<OutboxStore> open_store(const TempDb& db) {
  SqliteStoreOptions options;
  options.sync_every_commit = false;  // fewer fsyncs; locking is what is tested here
  auto store = open_sqlite_store(db.path(), options);
  REQUIRE(store);
  return *store;
}

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

void work(OutboxStore& store, Tally& tally) {
  for (;;) {
    auto leases = store.lease(3, kNow, std::chrono::hours(1));
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

TEST_CASE("Two SqliteStore objects on one file never lease the same message") {
  TempDb db;
  auto first = open_store(db);
  auto second = open_store(db);
  fill(*first);

  Tally tally;
  std::thread a([&] { work(*first, tally); });
  std::thread b([&] { work(*second, tally); });
  a.join();
  b.join();
  check_each_leased_once(*second, tally);
}

TEST_CASE("Threads sharing one SqliteStore never lease the same message") {
  TempDb db;
  auto store = open_store(db);
  fill(*store);

  Tally tally;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&] { work(*store, tally); });
  for (auto& thread : threads) thread.join();
  check_each_leased_once(*store, tally);
}

TEST_CASE("SqliteStore objects may create a new file at the same time") {
  constexpr int kRounds = 20;
  constexpr int kOpeners = 4;
  for (int round = 0; round < kRounds; ++round) {
    TempDb db;
    std::atomic<bool> go{false};
    std::vector<std::shared_ptr<OutboxStore>> stores(kOpeners);
    std::vector<std::string> errors(kOpeners);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < stores.size(); ++i) {
      threads.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        auto store = open_sqlite_store(db.path());
        if (store) {
          stores[i] = *store;
        } else {
          errors[i] = store.error().message();
        }
      });
    }
    go.store(true);
    for (auto& thread : threads) thread.join();
    for (std::size_t i = 0; i < stores.size(); ++i) {
      INFO("round " << round << ", opener " << i << ": " << errors[i]);
      REQUIRE(stores[i]);
    }
    StoredMessage m;
    m.id = "msg_1";
    m.request.url = "https://example.com/hooks";
    REQUIRE(stores[0]->enqueue(m));
    for (const auto& store : stores) {
      auto counts = store->counts();
      REQUIRE(counts);
      CHECK(counts->pending == 1);
    }
  }
}
