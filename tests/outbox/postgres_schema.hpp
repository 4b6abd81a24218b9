// A PostgreSQL schema of one test's own on the test suite's server (tests/postgres), dropped
// with everything in it when the object goes. Thread-safety: one object per test; the name may
// be read from any thread.
#pragma once

#include <string>
#include <string_view>

#include "postgres/postgres_server.hpp"

namespace outbox_test {

/// A unique schema name, the schema dropped (if it was created) at destruction.
class TempSchema {
 public:
  explicit TempSchema(std::string_view prefix) : name_(test_postgres::unique_name(prefix)) {}
  ~TempSchema() {
    try {
      test_postgres::run_sql(test_postgres::uri(), "DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    } catch (...) {
      // Dropped with the server's data directory anyway.
    }
  }
  TempSchema(const TempSchema&) = delete;
  TempSchema& operator=(const TempSchema&) = delete;

  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

}  // namespace outbox_test
