// Tests of what only the PostgreSQL idempotency store does, on a real server the test suite
// starts (tests/postgres): a schema shared with an outbox, created in either order; tables of
// another version or kind; bad options and URIs; an unreachable server (without the password in
// the error); a statement stuck behind another session's lock (statement_timeout). The
// contract every shared store meets is idempotency_contract_test.cpp, run on PostgreSQL through
// postgres_idempotency_under_test.cpp. Thread-safety: single-threaded tests.
#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <string>

#include "catch.hpp"
#include "chathooks/outbox/postgres_store.hpp"
#include "chathooks/receiver/postgres_idempotency_store.hpp"
#include "outbox/postgres_schema.hpp"
#include "postgres/postgres_server.hpp"

using chathooks::Errc;
using chathooks::receiver::ClaimState;
using chathooks::receiver::IdempotencyStore;
using chathooks::receiver::open_postgres_idempotency_store;
using chathooks::receiver::PostgresIdempotencyStoreOptions;
using outbox_test::TempSchema;

namespace {

PostgresIdempotencyStoreOptions in(const TempSchema& schema) {
  PostgresIdempotencyStoreOptions options;
  options.schema = schema.name();
  return options;
}

std::shared_ptr<IdempotencyStore> open_store(const TempSchema& schema) {
  auto store = open_postgres_idempotency_store(test_postgres::uri(), in(schema));
  INFO((store ? std::string() : store.error().message()));
  REQUIRE(store);
  return *store;
}

std::shared_ptr<chathooks::outbox::OutboxStore> open_outbox(const TempSchema& schema) {
  chathooks::outbox::PostgresStoreOptions options;
  options.schema = schema.name();
  auto outbox = chathooks::outbox::open_postgres_store(test_postgres::uri(), options);
  INFO((outbox ? std::string() : outbox.error().message()));
  REQUIRE(outbox);
  return *outbox;
}

// Both stores work in the schema: a message enqueued and counted, a key claimed and seen.
void check_both_work(const TempSchema& schema) {
  auto outbox = open_outbox(schema);
  chathooks::outbox::StoredMessage message;
  message.id = "msg_1";
  message.request.url = "https://example.com/hooks";
  REQUIRE(outbox->enqueue(message));
  auto counts = outbox->counts();
  REQUIRE(counts);
  CHECK(counts->pending == 1);
  auto store = open_store(schema);
  auto claimed = store->claim("key_1", "d", std::chrono::seconds(60));
  REQUIRE(claimed);
  CHECK(claimed->state == ClaimState::claimed);
  auto again = store->claim("key_1", "d", std::chrono::seconds(60));
  REQUIRE(again);
  CHECK(again->state == ClaimState::in_progress);
}

}  // namespace

TEST_CASE("PostgresIdempotencyStore shares a schema with an outbox created first") {
  TempSchema schema("idemshare");
  open_outbox(schema);
  check_both_work(schema);
}

TEST_CASE("PostgresIdempotencyStore shares a schema with an outbox created after it") {
  TempSchema schema("idemshare");
  open_store(schema);
  check_both_work(schema);
}

TEST_CASE("PostgresIdempotencyStore refuses another schema version and tables not its own") {
  {
    TempSchema schema("idemver");
    open_store(schema);
    test_postgres::run_sql(test_postgres::uri(),
                           "UPDATE " + schema.name() + ".idempotency_schema SET version = 2");
    auto store = open_postgres_idempotency_store(test_postgres::uri(), in(schema));
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == Errc::storage);
    CHECK(store.error().message().find("schema version 2") != std::string::npos);
    CHECK(store.error().message().find("idempotency store") != std::string::npos);
  }
  {
    TempSchema schema("idemkind");
    test_postgres::run_sql(test_postgres::uri(), "CREATE SCHEMA " + schema.name() +
                                                     "; CREATE TABLE " + schema.name() +
                                                     ".idempotency_keys (x int)");
    auto store = open_postgres_idempotency_store(test_postgres::uri(), in(schema));
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == Errc::storage);
    CHECK(store.error().message().find("not an idempotency store") != std::string::npos);
  }
}

TEST_CASE("PostgresIdempotencyStore refuses bad options and URIs, the password withheld") {
  PostgresIdempotencyStoreOptions options;
  for (const std::string name : {"", "Upper", "1abc", "pg_x", "a-b", "a\"b"}) {
    options.schema = name;
    auto store = open_postgres_idempotency_store(test_postgres::uri(), options);
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == Errc::invalid_argument);
  }
  options.schema = "chathooks";
  options.connections = 0;
  auto no_connections = open_postgres_idempotency_store(test_postgres::uri(), options);
  REQUIRE_FALSE(no_connections);
  CHECK(no_connections.error().code() == Errc::invalid_argument);
  auto empty = open_postgres_idempotency_store("");
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code() == Errc::invalid_argument);

  auto unreachable = open_postgres_idempotency_store(
      "postgresql://alice:s3cret-pw@/postgres?host=/nonexistent-chathooks-dir");
  REQUIRE_FALSE(unreachable);
  CHECK(unreachable.error().code() == Errc::storage);
  CHECK(unreachable.error().message().find("idempotency store") != std::string::npos);
  CHECK(unreachable.error().message().find("cannot connect") != std::string::npos);
  CHECK(unreachable.error().message().find("s3cret-pw") == std::string::npos);
  auto unparsable = open_postgres_idempotency_store("postgresql://alice:s3cret-pw%zz@host/db");
  REQUIRE_FALSE(unparsable);
  CHECK(unparsable.error().code() == Errc::invalid_argument);
  CHECK(unparsable.error().message().find("s3cret") == std::string::npos);
}

TEST_CASE("PostgresIdempotencyStore ends a claim stuck behind another session's lock") {
  TempSchema schema("idemlock");
  PostgresIdempotencyStoreOptions options = in(schema);
  options.statement_timeout = std::chrono::milliseconds(300);
  auto opened = open_postgres_idempotency_store(test_postgres::uri(), options);
  REQUIRE(opened);
  auto store = *opened;
  PGconn* app = PQconnectdb(test_postgres::uri().c_str());
  REQUIRE(PQstatus(app) == CONNECTION_OK);
  const std::string lock =
      "BEGIN; LOCK TABLE " + schema.name() + ".idempotency_keys IN ACCESS EXCLUSIVE MODE";
  PGresult* locked = PQexec(app, lock.c_str());
  const bool ok = PQresultStatus(locked) == PGRES_COMMAND_OK;
  PQclear(locked);
  auto blocked = store->claim("key_1", "d", std::chrono::seconds(60));
  PQfinish(app);  // ends the transaction and its lock
  REQUIRE(ok);
  REQUIRE_FALSE(blocked);
  CHECK(blocked.error().code() == Errc::storage);
  CHECK(blocked.error().message().find("statement timeout") != std::string::npos);
  auto claimed = store->claim("key_1", "d", std::chrono::seconds(60));
  REQUIRE(claimed);
  CHECK(claimed->state == ClaimState::claimed);
}

TEST_CASE("PostgresIdempotencyStore deletes expired keys as new ones are claimed") {
  TempSchema schema("idemclean");
  auto store = open_store(schema);
  for (int i = 0; i < 80; ++i) {
    REQUIRE(store->claim("old_" + std::to_string(i), "d", std::chrono::seconds(0)));
  }
  for (int i = 0; i < 130; ++i) {
    REQUIRE(store->claim("new_" + std::to_string(i), "d", std::chrono::seconds(60)));
  }
  const std::string expired = test_postgres::query_value(
      test_postgres::uri(), "SELECT count(*) FROM " + schema.name() +
                                ".idempotency_keys WHERE expires_at <= clock_timestamp()");
  CHECK(expired == "0");
}
