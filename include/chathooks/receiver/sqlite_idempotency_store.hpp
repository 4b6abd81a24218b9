// The idempotency store in an SQLite file: deduplication that survives a restart, and that
// several receiver processes on one machine share (the file's locks make every claim atomic).
// One file, no server; for receivers on several machines use the PostgreSQL or Redis store.
// Times are the wall clock of the processes, which must agree (one machine's clock).
// Thread-safety: the store is safe to call from any number of threads and processes at once.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/receiver/idempotency_store.hpp"

namespace chathooks::receiver {

/// How an SQLite idempotency store waits for the file's lock.
struct SqliteIdempotencyStoreOptions {
  /// How long a call waits for another process's write to finish before it fails with
  /// Errc::storage (the receiver then answers 503). Default 5 s.
  std::chrono::milliseconds busy_timeout{5000};
};

/// Opens (creating when missing) the store in the SQLite file at `path`; the file may also hold
/// an outbox (chathooks::outbox::open_sqlite_store), opened before or after it: the store's
/// tables are idempotency_keys and idempotency_schema (its own version), and it never changes
/// the file's PRAGMA user_version (the outbox's). Expired keys are deleted as new ones are
/// claimed, a bounded batch at a time. Errc::invalid_argument for an empty path or
/// ":memory:" (a store no other process sees), Errc::storage when the file cannot be opened or
/// holds tables of another kind or version.
CHATHOOKS_API Result<std::shared_ptr<IdempotencyStore>> open_sqlite_idempotency_store(
    const std::string& path, SqliteIdempotencyStoreOptions options = {});

}  // namespace chathooks::receiver
