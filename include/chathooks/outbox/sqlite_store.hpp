// The SQLite outbox store: one file, the embedded default. Messages survive restarts and
// crashes (SIGKILL included) once enqueue() has returned; several threads of one process and
// several processes on one machine may share the file (WAL mode; transactions serialise
// leases, so a message is in flight in one worker at a time while its lease holds). Not for
// files on network filesystems: a fleet shares a PostgreSQL outbox instead.
// Thread-safety: the store is safe to use from several threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/outbox/store.hpp"

namespace chathooks::outbox {

/// Options of open_sqlite_store().
struct SqliteStoreOptions {
  /// How long a statement waits for another connection's write lock before failing with
  /// Errc::storage.
  std::chrono::milliseconds busy_timeout{std::chrono::seconds(10)};
  /// true: each commit reaches the disk before it returns (SQLite synchronous=FULL), so an
  /// enqueued message survives a power loss too. false: synchronous=NORMAL, which in WAL mode
  /// survives any process crash but may lose the last commits on a power loss or OS crash.
  bool sync_every_commit = true;
};

/// Opens (creating when missing) the outbox in the SQLite file at `path`, creating its tables
/// on first use. Errc::storage when the file cannot be opened or is not an outbox of a
/// compatible schema version; Errc::invalid_argument for an empty path. SQLite keeps two files
/// beside it while open (`PATH-wal`, `PATH-shm`): move or delete the three together.
CHATHOOKS_API Result<std::shared_ptr<OutboxStore>> open_sqlite_store(
    const std::string& path, SqliteStoreOptions options = {});

}  // namespace chathooks::outbox
