// The engine a test program runs the shared IdempotencyStore contract on
// (idempotency_contract_test.cpp, idempotency_contract_thread_test.cpp): each engine's test
// program defines make_idempotency_under_test() (sqlite_idempotency_under_test.cpp,
// postgres_idempotency_under_test.cpp, redis_idempotency_under_test.cpp). Engine-neutral.
// Thread-safety: open() may be called from any thread.
#pragma once

#include <memory>

#include "chathooks/receiver/idempotency_store.hpp"

namespace idempotency_test {

/// A fresh, empty place to keep keys (a new file, a new PostgreSQL schema, a new key prefix),
/// removed when this object is destroyed.
class IdempotencyUnderTest {
 public:
  virtual ~IdempotencyUnderTest() = default;
  /// Opens a store object on this place: each call a new one, as another process would have,
  /// seeing what the others recorded.
  virtual std::shared_ptr<chathooks::receiver::IdempotencyStore> open() = 0;
};

/// A new place, from the engine this test program is linked with.
std::unique_ptr<IdempotencyUnderTest> make_idempotency_under_test();

}  // namespace idempotency_test
