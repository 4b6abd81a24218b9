// What only the SQLite outbox store does under concurrency: store objects may create a new file
// at the same time. The contract's threaded cases are store_contract_thread_test.cpp.
#include "catch.hpp"
#include "chathooks/outbox/sqlite_store.hpp"
#include "open_at_once.hpp"
#include "outbox_test_support.hpp"

TEST_CASE("SqliteStore objects may create a new file at the same time") {
  for (int round = 0; round < 20; ++round) {
    INFO("round " << round);
    outbox_test::TempFile db;
    outbox_test::check_open_at_once(
        4, [&db] { return chathooks::outbox::open_sqlite_store(db.path()); });
  }
}
