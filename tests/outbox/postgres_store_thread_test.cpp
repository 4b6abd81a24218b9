// What only the PostgreSQL outbox store does under concurrency: store objects (as processes on
// several machines would have) may create the same new schema at the same time, and one store
// object's connection pool serves more threads than it has connections. The contract's
// threaded cases are store_contract_thread_test.cpp.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/outbox/postgres_store.hpp"
#include "open_at_once.hpp"
#include "postgres/postgres_server.hpp"

using chathooks::outbox::open_postgres_store;
using chathooks::outbox::OutboxStore;
using chathooks::outbox::PostgresStoreOptions;
using chathooks::outbox::StoredMessage;

TEST_CASE("PostgresStore objects may create the same new schema at the same time") {
  for (int round = 0; round < 5; ++round) {
    INFO("round " << round);
    const std::string schema = test_postgres::unique_name("race");
    outbox_test::check_open_at_once(4, [&schema] {
      PostgresStoreOptions options;
      options.schema = schema;
      return open_postgres_store(test_postgres::uri(), options);
    });
    test_postgres::run_sql(test_postgres::uri(), "DROP SCHEMA " + schema + " CASCADE");
  }
}

TEST_CASE("A PostgresStore with one connection serves many threads, one call at a time") {
  const std::string schema = test_postgres::unique_name("pool");
  PostgresStoreOptions options;
  options.schema = schema;
  options.connections = 1;
  auto opened = open_postgres_store(test_postgres::uri(), options);
  REQUIRE(opened);
  std::shared_ptr<OutboxStore> store = *opened;
  constexpr int kThreads = 6;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        StoredMessage m;
        m.id = "msg_" + std::to_string(t) + "_" + std::to_string(i);
        m.request.url = "https://example.com/hooks";
        if (!store->enqueue(m) || !store->counts()) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures.load() == 0);
  auto counts = store->counts();
  REQUIRE(counts);
  CHECK(counts->pending == static_cast<std::uint64_t>(kThreads * kEach));
  store.reset();
  test_postgres::run_sql(test_postgres::uri(), "DROP SCHEMA " + schema + " CASCADE");
}
