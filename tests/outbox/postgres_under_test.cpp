// The OutboxStore contract runs on PostgreSQL: each place is a new schema in the test suite's
// server (tests/postgres), dropped at the end.
#include <memory>
#include <string>

#include "catch.hpp"
#include "chathooks/outbox/postgres_store.hpp"
#include "postgres/postgres_server.hpp"
#include "store_under_test.hpp"

namespace outbox_test {
namespace {

class PostgresUnderTest final : public StoreUnderTest {
 public:
  PostgresUnderTest() : schema_(test_postgres::unique_name("outbox")) {}
  ~PostgresUnderTest() override {
    try {
      test_postgres::run_sql(test_postgres::uri(), "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    } catch (...) {
      // A schema left behind is dropped with the server's data directory.
    }
  }
  PostgresUnderTest(const PostgresUnderTest&) = delete;
  PostgresUnderTest& operator=(const PostgresUnderTest&) = delete;

  std::shared_ptr<chathooks::outbox::OutboxStore> open() override {
    chathooks::outbox::PostgresStoreOptions options;
    options.schema = schema_;
    auto store = chathooks::outbox::open_postgres_store(test_postgres::uri(), options);
    INFO((store ? std::string() : store.error().message()));
    REQUIRE(store);
    return *store;
  }

 private:
  std::string schema_;
};

}  // namespace

std::unique_ptr<StoreUnderTest> make_store_under_test() {
  return std::make_unique<PostgresUnderTest>();
}

}  // namespace outbox_test
