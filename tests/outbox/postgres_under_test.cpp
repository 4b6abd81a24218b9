// The OutboxStore contract runs on PostgreSQL: each place is a new schema in the test suite's
// server (tests/postgres), dropped at the end.
#include <memory>
#include <string>

#include "catch.hpp"
#include "chathooks/outbox/postgres_store.hpp"
#include "postgres/postgres_server.hpp"
#include "postgres_schema.hpp"
#include "store_under_test.hpp"

namespace outbox_test {
namespace {

class PostgresUnderTest final : public StoreUnderTest {
 public:
  PostgresUnderTest() : schema_("outbox") {}

  std::shared_ptr<chathooks::outbox::OutboxStore> open() override {
    chathooks::outbox::PostgresStoreOptions options;
    options.schema = schema_.name();
    auto store = chathooks::outbox::open_postgres_store(test_postgres::uri(), options);
    INFO((store ? std::string() : store.error().message()));
    REQUIRE(store);
    return *store;
  }

 private:
  TempSchema schema_;
};

}  // namespace

std::unique_ptr<StoreUnderTest> make_store_under_test() {
  return std::make_unique<PostgresUnderTest>();
}

}  // namespace outbox_test
