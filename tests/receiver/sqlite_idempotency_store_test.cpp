// Tests of what only the SQLite idempotency store does: a file shared with an outbox, opened
// in either order; a file whose idempotency tables are of another version or another kind;
// options it refuses (":memory:", an empty path). The contract every shared store meets is
// idempotency_contract_test.cpp, run on SQLite through sqlite_idempotency_under_test.cpp.
// Thread-safety: single-threaded tests.
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "catch.hpp"
#include "chathooks/outbox/sqlite_store.hpp"
#include "chathooks/receiver/sqlite_idempotency_store.hpp"
#include "outbox/outbox_test_support.hpp"

using chathooks::Errc;
using chathooks::receiver::ClaimState;
using chathooks::receiver::open_sqlite_idempotency_store;
using outbox_test::TempFile;

namespace {

// Runs `sql` on the file directly, behind the stores' backs.
void run_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  INFO((message != nullptr ? message : ""));
  sqlite3_free(message);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

// Both stores work on the file: a message enqueued and counted, a key claimed and seen.
void check_both_work(const std::string& path) {
  auto outbox = chathooks::outbox::open_sqlite_store(path);
  INFO((outbox ? std::string() : outbox.error().message()));
  REQUIRE(outbox);
  chathooks::outbox::StoredMessage message;
  message.id = "msg_1";
  message.request.url = "https://example.com/hooks";
  REQUIRE((*outbox)->enqueue(message));
  auto counts = (*outbox)->counts();
  REQUIRE(counts);
  CHECK(counts->pending == 1);

  auto store = open_sqlite_idempotency_store(path);
  INFO((store ? std::string() : store.error().message()));
  REQUIRE(store);
  auto claimed = (*store)->claim("key_1", "d", std::chrono::seconds(60));
  REQUIRE(claimed);
  CHECK(claimed->state == ClaimState::claimed);
  auto again = (*store)->claim("key_1", "d", std::chrono::seconds(60));
  REQUIRE(again);
  CHECK(again->state == ClaimState::in_progress);
}

}  // namespace

TEST_CASE("SqliteIdempotencyStore shares a file with an outbox opened first") {
  TempFile file;
  REQUIRE(chathooks::outbox::open_sqlite_store(file.path()));
  check_both_work(file.path());
}

TEST_CASE("SqliteIdempotencyStore shares a file with an outbox opened after it") {
  TempFile file;
  REQUIRE(open_sqlite_idempotency_store(file.path()));
  check_both_work(file.path());
  // Reopened, both accept the file again.
  REQUIRE(open_sqlite_idempotency_store(file.path()));
  REQUIRE(chathooks::outbox::open_sqlite_store(file.path()));
}

TEST_CASE("SqliteIdempotencyStore refuses another schema version and tables not its own") {
  {
    TempFile file;
    REQUIRE(open_sqlite_idempotency_store(file.path()));
    run_sql(file.path(), "UPDATE idempotency_schema SET version = 2");
    auto store = open_sqlite_idempotency_store(file.path());
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == Errc::storage);
    CHECK(store.error().message().find("schema version 2") != std::string::npos);
    CHECK(store.error().message().find("idempotency store") != std::string::npos);
  }
  {
    TempFile file;
    run_sql(file.path(), "CREATE TABLE idempotency_keys (x)");
    auto store = open_sqlite_idempotency_store(file.path());
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == Errc::storage);
    CHECK(store.error().message().find("not an idempotency store") != std::string::npos);
  }
  {
    TempFile file;  // not an SQLite file at all
    run_sql(file.path(), "");
    REQUIRE(std::remove(file.path().c_str()) == 0);
    std::FILE* out = std::fopen(file.path().c_str(), "wb");
    REQUIRE(out != nullptr);
    const std::string junk(4096, 'x');
    std::fwrite(junk.data(), 1, junk.size(), out);
    std::fclose(out);
    auto store = open_sqlite_idempotency_store(file.path());
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == Errc::storage);
  }
}

TEST_CASE("SqliteIdempotencyStore refuses an empty path and a database in memory") {
  for (const std::string path : {"", ":memory:", "file::memory:?cache=shared"}) {
    auto store = open_sqlite_idempotency_store(path);
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == Errc::invalid_argument);
  }
}

TEST_CASE("SqliteIdempotencyStore fails as a storage error when another process holds the lock") {
  TempFile file;
  chathooks::receiver::SqliteIdempotencyStoreOptions options;
  options.busy_timeout = std::chrono::milliseconds(100);
  auto store = open_sqlite_idempotency_store(file.path(), options);
  REQUIRE(store);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.path().c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  auto blocked = (*store)->claim("key_1", "d", std::chrono::seconds(60));
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  REQUIRE_FALSE(blocked);
  CHECK(blocked.error().code() == Errc::storage);
  CHECK(blocked.error().message().find("idempotency store") != std::string::npos);
  CHECK(blocked.error().message().find("claim") != std::string::npos);
  auto claimed = (*store)->claim("key_1", "d", std::chrono::seconds(60));
  REQUIRE(claimed);
  CHECK(claimed->state == ClaimState::claimed);
}

TEST_CASE("SqliteIdempotencyStore deletes expired keys as new ones are claimed") {
  TempFile file;
  auto store = open_sqlite_idempotency_store(file.path());
  REQUIRE(store);
  for (int i = 0; i < 80; ++i) {
    REQUIRE((*store)->claim("old_" + std::to_string(i), "d", std::chrono::seconds(0)));
  }
  for (int i = 0; i < 130; ++i) {
    REQUIRE((*store)->claim("new_" + std::to_string(i), "d", std::chrono::seconds(60)));
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.path().c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* count = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM idempotency_keys WHERE key LIKE 'old_%'", -1,
                             &count, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(count) == SQLITE_ROW);
  CHECK(sqlite3_column_int64(count, 0) == 0);
  sqlite3_finalize(count);
  sqlite3_close(db);
}
