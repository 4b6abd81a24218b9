// The PostgreSQL test support itself: a real server answers, a schema named by unique_name()
// can be created and used, and unique names differ.
#include <stdexcept>
#include <string>

#include "catch.hpp"
#include "postgres/postgres_server.hpp"

TEST_CASE("the test server answers SELECT 1") {
  const std::string& uri = test_postgres::uri();
  CHECK(uri.rfind("postgresql:///postgres?host=", 0) == 0);
  CHECK(test_postgres::query_value(uri, "SELECT 1") == "1");
  CHECK(&test_postgres::uri() == &uri);
}

TEST_CASE("a schema named by unique_name isolates a test case") {
  const std::string& uri = test_postgres::uri();
  const std::string schema = test_postgres::unique_name("support_test");
  test_postgres::run_sql(uri, "CREATE SCHEMA " + schema + "; CREATE TABLE " + schema +
                                  ".t (v int); INSERT INTO " + schema + ".t VALUES (41), (1)");
  CHECK(test_postgres::query_value(uri, "SELECT sum(v) FROM " + schema + ".t") == "42");
  CHECK(test_postgres::query_value(
            uri, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + schema +
                     "'") == "1");
  CHECK_THROWS_AS(test_postgres::run_sql(uri, "CREATE SCHEMA " + schema), std::runtime_error);
}

TEST_CASE("unique names differ and are PostgreSQL identifiers") {
  const std::string first = test_postgres::unique_name("t");
  const std::string second = test_postgres::unique_name("t");
  CHECK(first != second);
  for (const std::string& name : {first, second}) {
    CHECK(name.size() <= 63);
    CHECK(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos);
  }
  CHECK(test_postgres::unique_name(std::string(30, 'a')).size() <= 63);
  CHECK_THROWS_AS(test_postgres::unique_name("Upper"), std::invalid_argument);
  CHECK_THROWS_AS(test_postgres::unique_name("1abc"), std::invalid_argument);
  CHECK_THROWS_AS(test_postgres::unique_name(""), std::invalid_argument);
  CHECK_THROWS_AS(test_postgres::unique_name(std::string(31, 'a')), std::invalid_argument);
}
