// The README's transactional outbox block, run on the test suite's PostgreSQL server: a message
// inserted with postgres_insert() in the application's own transaction is stored when that
// transaction commits, and leased by the outbox like any other. The README quotes the block
// from here (tests/packaging/check_readme_snippets.sh checks the quote).
#include <libpq-fe.h>
#include <chathooks/outbox/postgres_store.hpp>
#include <chathooks/outbox/worker.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "catch.hpp"
#include "postgres/postgres_server.hpp"

using namespace chathooks;

TEST_CASE("the README's transactional outbox block stores the message when the app commits") {
  const std::string schema = test_postgres::unique_name("readme");
  outbox::PostgresStoreOptions store_options;
  store_options.schema = schema;
  auto store = outbox::open_postgres_store(test_postgres::uri(), store_options).value();
  // The README's block uses the default schema; on the shared test server each test has its
  // own, passed to postgres_insert() (the one line that differs from the README's).
  PGconn* conn = PQconnectdb(test_postgres::uri().c_str());
  REQUIRE(PQstatus(conn) == CONNECTION_OK);
  http::HttpRequest request;
  request.url = "https://example.com/hooks";
  request.body = R"({"order":42})";

  auto message = outbox::make_message(request, {}).value();  // message.id: the webhook-id
  auto insert = outbox::postgres_insert(message, schema).value();
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (const auto& value : insert.values) {
    values.push_back(value.data());
    lengths.push_back(static_cast<int>(value.size()));
    formats.push_back(1);
  }
  PQclear(PQexec(conn, "BEGIN"));
  // ... the application's own statements on conn ...
  PGresult* inserted =
      PQexecParams(conn, insert.sql.c_str(), static_cast<int>(values.size()), insert.types.data(),
                   values.data(), lengths.data(), formats.data(), 0);
  const bool inserted_ok = PQresultStatus(inserted) == PGRES_COMMAND_OK;
  PQclear(inserted);
  PGresult* ended = PQexec(conn, inserted_ok ? "COMMIT" : "ROLLBACK");
  const bool stored = inserted_ok && PQresultStatus(ended) == PGRES_COMMAND_OK;
  PQclear(ended);  // stored: the message is in the outbox, with the application's changes

  PQfinish(conn);
  CHECK(stored);
  auto found = store->find(message.id).value();
  REQUIRE(found.has_value());
  CHECK(found->request.body == R"({"order":42})");
  auto leases = store->lease(5, std::chrono::system_clock::now(), std::chrono::seconds(30)).value();
  REQUIRE(leases.size() == 1);
  CHECK(leases[0].message.id == message.id);
  store.reset();
  test_postgres::run_sql(test_postgres::uri(), "DROP SCHEMA " + schema + " CASCADE");
}
