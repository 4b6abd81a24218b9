// The idempotency store in PostgreSQL: receivers on many machines that share one database
// handle each webhook-id once between them. Every call is one statement (atomic, no
// transaction left open); expiry uses the server's clock, so the receivers' clocks need not
// agree.
// Thread-safety: the store is safe to call from any number of threads and processes at once
// (a pool of connections).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/receiver/idempotency_store.hpp"

namespace chathooks::receiver {

/// Where and how a PostgreSQL idempotency store keeps its keys.
struct PostgresIdempotencyStoreOptions {
  /// The schema holding the store's table, created when missing. The default is the outbox's
  /// (chathooks::outbox::PostgresStoreOptions::schema): both live in it side by side.
  std::string schema = "chathooks";
  /// The most connections held open at once (each call borrows one). At least 1.
  std::size_t connections = 4;
  /// How long making a connection may take.
  std::chrono::seconds connect_timeout{10};
  /// The server cancels a statement running longer than this (then Errc::storage, and the
  /// receiver answers 503).
  std::chrono::milliseconds statement_timeout{5000};
};

/// Connects to the server at `uri` (a libpq connection URI or key=value string) and creates the
/// store's tables (idempotency_keys, and idempotency_schema holding their version) in
/// `options.schema` when missing, under the advisory lock the outbox takes, so that both may be
/// created in either order. Expired keys are deleted as new ones are claimed, a bounded batch at
/// a time. Errc::invalid_argument for bad options,
/// Errc::storage when the server cannot be reached or the schema holds a table of another
/// kind or version. Error messages never contain the password.
CHATHOOKS_API Result<std::shared_ptr<IdempotencyStore>> open_postgres_idempotency_store(
    const std::string& uri, PostgresIdempotencyStoreOptions options = {});

}  // namespace chathooks::receiver
