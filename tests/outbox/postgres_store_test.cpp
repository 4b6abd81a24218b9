// Tests of what only the PostgreSQL outbox store does, on a real server the test suite starts
// (tests/postgres): text PostgreSQL cannot hold, tables that are not an outbox or of another
// schema version, bad options and URIs, an unreachable server (without the password in the
// error), a connection the server killed, and the transactional outbox (postgres_insert() run
// in the application's own transaction). The contract every store meets is
// store_contract_test.cpp, run on PostgreSQL through postgres_under_test.cpp.
#include <libpq-fe.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/outbox/postgres_store.hpp"
#include "chathooks/outbox/worker.hpp"
#include "postgres/postgres_server.hpp"
#include "postgres_schema.hpp"
#include "store_test_helpers.hpp"

using chathooks::Errc;
using chathooks::outbox::MessageState;
using chathooks::outbox::open_postgres_store;
using chathooks::outbox::PostgresStatement;
using chathooks::outbox::PostgresStoreOptions;
using namespace outbox_test;  // NOLINT(google-build-using-namespace): the tests' helpers

namespace {

// A schema of its own, dropped at the end.
class Schema : public TempSchema {
 public:
  Schema() : TempSchema("pgstore") {}
};

std::shared_ptr<OutboxStore> open_store(const Schema& schema, const std::string& uri) {
  PostgresStoreOptions options;
  options.schema = schema.name();
  auto store = open_postgres_store(uri, options);
  INFO((store ? std::string() : store.error().message()));
  REQUIRE(store);
  return *store;
}

// One libpq connection of the test's own, standing for the application's.
class AppConnection {
 public:
  AppConnection() : conn_(PQconnectdb(test_postgres::uri().c_str())) {
    REQUIRE(PQstatus(conn_) == CONNECTION_OK);
  }
  ~AppConnection() { PQfinish(conn_); }
  AppConnection(const AppConnection&) = delete;
  AppConnection& operator=(const AppConnection&) = delete;

  void exec(const char* sql) {
    PGresult* result = PQexec(conn_, sql);
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    INFO(PQerrorMessage(conn_));
    PQclear(result);
    REQUIRE(ok);
  }
  // Runs `statement` as its documentation says; returns the SQLSTATE, "" on success.
  std::string run(const PostgresStatement& statement) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    const std::vector<int> formats(statement.values.size(), 1);
    for (const auto& value : statement.values) {
      values.push_back(value.data());
      lengths.push_back(static_cast<int>(value.size()));
    }
    PGresult* result =
        PQexecParams(conn_, statement.sql.c_str(), static_cast<int>(statement.values.size()),
                     statement.types.data(), values.data(), lengths.data(), formats.data(), 0);
    std::string state;
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      const char* code = PQresultErrorField(result, PG_DIAG_SQLSTATE);
      state = code != nullptr ? code : "?";
    }
    PQclear(result);
    return state;
  }

 private:
  PGconn* conn_;
};

}  // namespace

TEST_CASE("PostgresStore refuses ids, kinds, methods and URLs that PostgreSQL text cannot hold") {
  Schema schema;
  auto store = open_store(schema, test_postgres::uri());
  auto with_nul = message(std::string("msg_a\0b", 7), at(0));
  auto refused = store->enqueue(with_nul);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == Errc::invalid_argument);
  CHECK(refused.error().message().find("UTF-8") != std::string::npos);

  auto bad_url = message("msg_b", at(0));
  bad_url.request.url = "https://example.com/\xff";
  CHECK(store->enqueue(bad_url).error().code() == Errc::invalid_argument);
  auto bad_kind = message("msg_c", at(0));
  bad_kind.kind = "\xc3";
  CHECK(store->enqueue(bad_kind).error().code() == Errc::invalid_argument);
  CHECK(counts_are(*store, 0, 0, 0, 0));

  // Headers and bodies are bytes: kept as they came.
  auto binary = message("msg_d", at(0));
  binary.request.body = std::string("\0\xff\xfe{}", 5);
  REQUIRE(binary.request.headers.add("X-Raw", "\xe9t\xe9"));
  REQUIRE(store->enqueue(binary));
  const auto found = find(*store, "msg_d");
  CHECK(found.request.body == binary.request.body);
  CHECK(found.request.headers.get("x-raw") == "\xe9t\xe9");
  auto absent = store->find(std::string("\xff", 1));
  REQUIRE(absent);
  CHECK_FALSE(absent->has_value());
}

TEST_CASE("PostgresStore keeps an error text with bytes text cannot hold, replaced by U+FFFD") {
  Schema schema;
  auto store = open_store(schema, test_postgres::uri());
  enqueue(*store, "msg_1", at(0));
  auto leases = lease(*store, 1, at(0));
  REQUIRE(leases.size() == 1);
  const std::string error("connect: \xff host\0x", 17);
  REQUIRE(
      store->settle(leases[0], attempt_log(1, at(0), 0, error), retry_at(at(10), "HTTP 503 \xc3")));
  CHECK(find(*store, "msg_1").last_error == "HTTP 503 \xEF\xBF\xBD");
  const auto logged = attempts_of(*store, "msg_1");
  REQUIRE(logged.size() == 1);
  CHECK(logged[0].error == "connect: \xEF\xBF\xBD host\xEF\xBF\xBDx");
}

TEST_CASE("PostgresStore refuses tables that are not an outbox, and another schema version") {
  const std::string& uri = test_postgres::uri();
  {
    Schema schema;
    test_postgres::run_sql(uri, "CREATE SCHEMA " + schema.name() + "; CREATE TABLE " +
                                    schema.name() + ".outbox_messages (name text)");
    PostgresStoreOptions options;
    options.schema = schema.name();
    auto store = open_postgres_store(uri, options);
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == Errc::storage);
    CHECK(store.error().message().find("not an outbox") != std::string::npos);
    // Nothing of theirs was changed or added.
    CHECK(test_postgres::query_value(uri, "SELECT count(*) FROM pg_tables WHERE schemaname = '" +
                                              schema.name() + "'") == "1");
  }
  {
    Schema schema;
    {
      auto store = open_store(schema, uri);
      enqueue(*store, "msg_1", at(0));
    }
    test_postgres::run_sql(uri, "UPDATE " + schema.name() + ".outbox_schema SET version = 99");
    PostgresStoreOptions options;
    options.schema = schema.name();
    auto store = open_postgres_store(uri, options);
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == Errc::storage);
    CHECK(store.error().message().find("99") != std::string::npos);
  }
}

TEST_CASE("PostgresStore refuses bad options and URIs as invalid arguments") {
  auto check_invalid = [](const std::string& uri, PostgresStoreOptions options) {
    auto store = open_postgres_store(uri, options);
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == Errc::invalid_argument);
  };
  check_invalid("", {});
  check_invalid("dbname = = x", {});
  check_invalid("postgresql://host/db?nonsense_option=1", {});
  const std::vector<std::string> bad_names = {"",        "Outbox",   "1outbox",
                                              "out-box", "out\"box", std::string(64, 'a')};
  for (const std::string& bad : bad_names) {
    INFO("schema \"" << bad << "\"");
    PostgresStoreOptions options;
    options.schema = bad;
    check_invalid(test_postgres::uri(), options);
  }
  PostgresStoreOptions no_connections;
  no_connections.connections = 0;
  check_invalid(test_postgres::uri(), no_connections);
}

TEST_CASE("PostgresStore reports an unreachable server as a storage error, password withheld") {
  auto store =
      open_postgres_store("postgresql://alice:s3cret-pw@/postgres?host=/nonexistent-chathooks-dir");
  REQUIRE_FALSE(store);
  CHECK(store.error().code() == Errc::storage);
  CHECK(store.error().message().find("cannot connect") != std::string::npos);
  CHECK(store.error().message().find("nonexistent-chathooks-dir") != std::string::npos);
  CHECK(store.error().message().find("s3cret-pw") == std::string::npos);

  // URIs libpq cannot parse: its reasons quote the URI or the password, which must not show.
  for (const std::string& uri : {std::string("postgresql://alice:s3cret-pw@[::1/db"),
                                 std::string("postgresql://alice:s3cret-pw@[]/db"),
                                 std::string("postgresql://alice:s3cret-pw%zz@host/db")}) {
    auto refused = open_postgres_store(uri);
    REQUIRE_FALSE(refused);
    INFO(refused.error().message());
    CHECK(refused.error().code() == Errc::invalid_argument);
    CHECK(refused.error().message().find("s3cret") == std::string::npos);
    CHECK(refused.error().message().rfind("outbox: not a PostgreSQL URI: ", 0) == 0);
  }
}

TEST_CASE("PostgresStore reconnects after the server ended its connections, no call failing") {
  Schema schema;
  const std::string app = test_postgres::unique_name("app");
  const std::string uri = test_postgres::uri() + "&application_name=" + app;
  auto store = open_store(schema, uri);
  enqueue(*store, "msg_1", at(0));
  const std::string sessions =
      "SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + app + "'";
  REQUIRE(test_postgres::query_value(test_postgres::uri(), sessions) != "0");
  test_postgres::run_sql(test_postgres::uri(),
                         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                         " WHERE application_name = '" +
                             app + "'");
  // Once the sessions are gone (as after a server restart), the idle connections are found
  // closed before use: the next calls succeed, and nothing was lost.
  for (int i = 0; i < 600 && test_postgres::query_value(test_postgres::uri(), sessions) != "0";
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(test_postgres::query_value(test_postgres::uri(), sessions) == "0");
  auto counted = store->counts();
  INFO((counted ? std::string() : counted.error().message()));
  REQUIRE(counted);
  CHECK(counted->pending == 1);
  enqueue(*store, "msg_2", at(0));
  CHECK(counts_are(*store, 2, 0, 0, 0));
}

TEST_CASE("PostgresStore ends a statement stuck behind another session's lock: a storage error") {
  Schema schema;
  PostgresStoreOptions options;
  options.schema = schema.name();
  options.statement_timeout = std::chrono::milliseconds(300);
  auto opened = open_postgres_store(test_postgres::uri(), options);
  REQUIRE(opened);
  auto store = *opened;
  enqueue(*store, "msg_1", at(0));
  AppConnection app;
  app.exec("BEGIN");
  app.exec(("LOCK TABLE " + schema.name() + ".outbox_messages IN ACCESS EXCLUSIVE MODE").c_str());
  auto blocked = store->counts();
  REQUIRE_FALSE(blocked);
  CHECK(blocked.error().code() == Errc::storage);
  CHECK(blocked.error().message().find("statement timeout") != std::string::npos);
  app.exec("ROLLBACK");
  CHECK(counts_are(*store, 1, 0, 0, 0));
}

TEST_CASE("PostgresStore gives up a stored message it cannot read back and leases the others") {
  Schema schema;
  auto store = open_store(schema, test_postgres::uri());
  enqueue(*store, "msg_a", at(0));
  enqueue(*store, "msg_damaged", at(1));
  enqueue(*store, "msg_c", at(2));
  // Headers whose length prefix runs past the end: damaged by hand.
  test_postgres::run_sql(test_postgres::uri(), "UPDATE " + schema.name() +
                                                   ".outbox_messages SET headers = '\\x00000009'"
                                                   " WHERE id = 'msg_damaged'");
  CHECK(ids(lease(*store, 5, at(10))) == std::vector<std::string>{"msg_a", "msg_c"});
  auto damaged = store->find("msg_damaged");
  REQUIRE_FALSE(damaged);  // find() reports it, rather than hand out a wrong message
  CHECK(damaged.error().code() == Errc::storage);
  CHECK(counts_are(*store, 0, 2, 0, 1));
  CHECK(test_postgres::query_value(test_postgres::uri(),
                                   "SELECT dead_reason FROM " + schema.name() +
                                       ".outbox_messages WHERE id = 'msg_damaged'")
            .rfind("unreadable: ", 0) == 0);
}

TEST_CASE("postgres_insert stores a message if and only if the application's transaction commits") {
  Schema schema;
  auto store = open_store(schema, test_postgres::uri());  // creates the schema's tables
  chathooks::http::HttpRequest request;
  request.url = "https://example.com/hooks";
  request.body = "{\"order\":42}";
  REQUIRE(request.headers.add("webhook-id", "msg_tx_1"));
  REQUIRE(request.headers.add("Content-Type", "application/json"));
  chathooks::outbox::EnqueueOptions options;
  options.kind = "flw-dispatch";
  options.system_now = [] { return at(0); };
  auto made = chathooks::outbox::make_message(request, options);
  REQUIRE(made);
  CHECK(made->id == "msg_tx_1");
  auto insert = chathooks::outbox::postgres_insert(*made, schema.name());
  REQUIRE(insert);

  AppConnection app;
  app.exec("BEGIN");
  CHECK(app.run(*insert).empty());
  app.exec("ROLLBACK");
  CHECK(counts_are(*store, 0, 0, 0, 0));

  app.exec("BEGIN");
  CHECK(app.run(*insert).empty());
  CHECK(counts_are(*store, 0, 0, 0, 0));  // not visible before the commit
  app.exec("COMMIT");
  const auto found = find(*store, "msg_tx_1");
  CHECK(found.state == MessageState::pending);
  CHECK(found.kind == "flw-dispatch");
  CHECK(found.request.body == "{\"order\":42}");
  CHECK_FALSE(found.request.headers.get("webhook-id"));  // each attempt sets it
  CHECK(found.request.headers.get("content-type") == "application/json");
  CHECK(ids(lease(*store, 5, at(0))) == std::vector<std::string>{"msg_tx_1"});

  app.exec("BEGIN");
  CHECK(app.run(*insert) == "23505");  // the id is taken
  app.exec("ROLLBACK");

  auto bad = chathooks::outbox::postgres_insert(*made, "Not-A-Schema");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == Errc::invalid_argument);
}
