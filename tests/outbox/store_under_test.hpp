// The engine a store test program runs the OutboxStore contract on (store_contract_test.cpp):
// each engine's test program defines make_store_under_test() (sqlite_under_test.cpp,
// postgres_under_test.cpp). Thread-safety: open() may be called from any thread.
#pragma once

#include <memory>

#include "chathooks/outbox/store.hpp"

namespace outbox_test {

/// A fresh, empty place to keep an outbox (a new file, a new PostgreSQL schema), removed when
/// this object is destroyed.
class StoreUnderTest {
 public:
  virtual ~StoreUnderTest() = default;
  /// Opens a store object on this place: each call a new one, as another process would have,
  /// seeing what the others stored.
  virtual std::shared_ptr<chathooks::outbox::OutboxStore> open() = 0;
};

/// A new place, from the engine this test program is linked with.
std::unique_ptr<StoreUnderTest> make_store_under_test();

}  // namespace outbox_test
