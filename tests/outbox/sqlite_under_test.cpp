// The OutboxStore contract runs on SQLite: each place is a new temporary file.
#include <memory>

#include "catch.hpp"
#include "chathooks/outbox/sqlite_store.hpp"
#include "outbox_test_support.hpp"
#include "store_under_test.hpp"

namespace outbox_test {
namespace {

class SqliteUnderTest final : public StoreUnderTest {
 public:
  std::shared_ptr<chathooks::outbox::OutboxStore> open() override {
    chathooks::outbox::SqliteStoreOptions options;
    options.sync_every_commit = false;  // fewer fsyncs: a process crash keeps WAL commits anyway
    auto store = chathooks::outbox::open_sqlite_store(file_.path(), options);
    REQUIRE(store);
    return *store;
  }

 private:
  TempFile file_;
};

}  // namespace

std::unique_ptr<StoreUnderTest> make_store_under_test() {
  return std::make_unique<SqliteUnderTest>();
}

}  // namespace outbox_test
