// The IdempotencyStore contract runs on SQLite: each place is a new temporary file.
// Thread-safety: as IdempotencyUnderTest (one file per place).
#include <memory>

#include "catch.hpp"
#include "chathooks/receiver/sqlite_idempotency_store.hpp"
#include "idempotency_under_test.hpp"
#include "outbox/outbox_test_support.hpp"

namespace idempotency_test {
namespace {

class SqliteUnderTest final : public IdempotencyUnderTest {
 public:
  std::shared_ptr<chathooks::receiver::IdempotencyStore> open() override {
    auto store = chathooks::receiver::open_sqlite_idempotency_store(file_.path());
    INFO((store ? std::string() : store.error().message()));
    REQUIRE(store);
    return *store;
  }

 private:
  outbox_test::TempFile file_;
};

}  // namespace

std::unique_ptr<IdempotencyUnderTest> make_idempotency_under_test() {
  return std::make_unique<SqliteUnderTest>();
}

}  // namespace idempotency_test
