// The IdempotencyStore contract runs on PostgreSQL: each place is a new schema in the test
// suite's server (tests/postgres), dropped at the end. Thread-safety: as IdempotencyUnderTest.
#include <memory>
#include <string>

#include "catch.hpp"
#include "chathooks/receiver/postgres_idempotency_store.hpp"
#include "idempotency_under_test.hpp"
#include "outbox/postgres_schema.hpp"
#include "postgres/postgres_server.hpp"

namespace idempotency_test {
namespace {

class PostgresUnderTest final : public IdempotencyUnderTest {
 public:
  PostgresUnderTest() : schema_("idem") {}

  std::shared_ptr<chathooks::receiver::IdempotencyStore> open() override {
    chathooks::receiver::PostgresIdempotencyStoreOptions options;
    options.schema = schema_.name();
    auto store =
        chathooks::receiver::open_postgres_idempotency_store(test_postgres::uri(), options);
    INFO((store ? std::string() : store.error().message()));
    REQUIRE(store);
    return *store;
  }

 private:
  outbox_test::TempSchema schema_;
};

}  // namespace

std::unique_ptr<IdempotencyUnderTest> make_idempotency_under_test() {
  return std::make_unique<PostgresUnderTest>();
}

}  // namespace idempotency_test
