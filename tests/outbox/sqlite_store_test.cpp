// Tests of what only the SQLite outbox store does: the file it keeps (refusing one that is not
// an SQLite database, or not an outbox, or of another schema version, or that cannot be opened)
// and the state names. The contract every store meets is store_contract_test.cpp, run on SQLite
// through sqlite_under_test.cpp; the threaded cases are in sqlite_store_thread_test.cpp.
#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "catch.hpp"
#include "chathooks/outbox/sqlite_store.hpp"
#include "outbox_test_support.hpp"
#include "store_test_helpers.hpp"

using chathooks::Errc;
using chathooks::outbox::MessageState;
using chathooks::outbox::open_sqlite_store;
using namespace outbox_test;  // NOLINT(google-build-using-namespace): the tests' helpers

namespace {

using TempDb = outbox_test::TempFile;

std::shared_ptr<OutboxStore> open_store(const TempDb& db) {
  auto store = open_sqlite_store(db.path());
  REQUIRE(store);
  return *store;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  REQUIRE(out.good());
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs `sql` on the file with sqlite3 directly, behind the store's back.
void exec_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("SqliteStore refuses a file that is not an SQLite database") {
  TempDb db;
  std::string garbage = "this is not a database, just bytes: ";
  for (int i = 0; i < 4096; ++i) garbage.push_back(static_cast<char>((i * 37 + 11) % 256));
  write_file(db.path(), garbage);

  auto store = open_sqlite_store(db.path());
  REQUIRE_FALSE(store);
  CHECK(store.error().code() == Errc::storage);
  CHECK(store.error().message().find(db.path()) != std::string::npos);
  CHECK(store.error().message().find("not an SQLite database") != std::string::npos);
  CHECK(read_file(db.path()) == garbage);
}

TEST_CASE("SqliteStore refuses an SQLite database that is not an outbox") {
  TempDb db;
  exec_sql(db.path(), "CREATE TABLE contacts (name TEXT)");
  auto store = open_sqlite_store(db.path());
  REQUIRE_FALSE(store);
  CHECK(store.error().code() == Errc::storage);
  CHECK(store.error().message().find("not an outbox") != std::string::npos);
  // Refused before anything about it changed: still in rollback-journal mode (byte 18 of the
  // header is 1; WAL would make it 2).
  CHECK(read_file(db.path()).at(18) == 1);
}

TEST_CASE("SqliteStore gives up a stored message it cannot read back and leases the others") {
  TempDb db;
  auto store = open_store(db);
  enqueue(*store, "msg_a", at(0));
  enqueue(*store, "msg_damaged", at(1));
  enqueue(*store, "msg_c", at(2));
  // Headers whose length prefix runs past the end: damaged by hand.
  exec_sql(db.path(), "UPDATE messages SET headers = x'00000009' WHERE id = 'msg_damaged'");
  CHECK(ids(lease(*store, 5, at(10))) == std::vector<std::string>{"msg_a", "msg_c"});
  CHECK(counts_are(*store, 0, 2, 0, 1));
  auto damaged = store->find("msg_damaged");
  REQUIRE_FALSE(damaged);  // find() reports it, rather than hand out a wrong message
  CHECK(damaged.error().code() == Errc::storage);
  CHECK(lease(*store, 5, at(20)).empty());
}

TEST_CASE("SqliteStore refuses an outbox of another schema version") {
  TempDb db;
  {
    auto store = open_store(db);
    enqueue(*store, "msg_1", at(0));
  }
  exec_sql(db.path(), "PRAGMA user_version = 99");
  auto store = open_sqlite_store(db.path());
  REQUIRE_FALSE(store);
  CHECK(store.error().code() == Errc::storage);
  CHECK(store.error().message().find("99") != std::string::npos);
}

TEST_CASE("SqliteStore adds the endpoints table to an outbox made before it existed") {
  TempDb db;
  {
    auto store = open_store(db);
    enqueue(*store, "msg_1", at(0));
  }
  exec_sql(db.path(), "DROP TABLE endpoints");  // As an earlier chathooks left the file.
  auto store = open_store(db);
  chathooks::outbox::EndpointRecord record;
  record.endpoint = "https://a.example:443";
  record.state = chathooks::delivery::EndpointState::disabled;
  record.updated_at = at(5);
  REQUIRE(store->save_endpoint(record));
  auto records = store->endpoint_records();
  REQUIRE(records.ok());
  REQUIRE(records->size() == 1);
  CHECK(records->front().state == chathooks::delivery::EndpointState::disabled);
  CHECK(find(*store, "msg_1").id == "msg_1");
}

TEST_CASE("SqliteStore reports a path it cannot open as a storage error") {
  TempDb db;
  auto store = open_sqlite_store(db.path() + "-missing-dir/outbox.db");
  REQUIRE_FALSE(store);
  CHECK(store.error().code() == Errc::storage);
  CHECK(store.error().message().find("outbox.db") != std::string::npos);

  auto empty = open_sqlite_store("");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code() == Errc::invalid_argument);
}

TEST_CASE("MessageState names") {
  CHECK(to_string(MessageState::pending) == "pending");
  CHECK(to_string(MessageState::in_flight) == "in_flight");
  CHECK(to_string(MessageState::delivered) == "delivered");
  CHECK(to_string(MessageState::dead) == "dead");
}
