// The SQLite idempotency store (chathooks/receiver/sqlite_idempotency_store.hpp): one table,
// idempotency_keys, and its own version table, idempotency_schema, so that it shares a file
// with the outbox (whose version is PRAGMA user_version, never touched here) in either opening
// order. Times are the wall clock in milliseconds since the epoch.
//
// Thread-safety: one mutex guards the connection, so every call runs alone within the object.
// Between processes, or between store objects on the same file, SQLite's locks do the same
// work: a claim's read and write run in one BEGIN IMMEDIATE transaction (the file's write lock
// taken at BEGIN, waiting up to busy_timeout); complete() and release() are one statement each.
#include "chathooks/receiver/sqlite_idempotency_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "receiver/claim_token.hpp"
#include "storage/sqlite_db.hpp"

namespace chathooks::receiver {
namespace {

using storage::DbPtr;
using storage::Statement;
using storage::Transaction;

// The layout this code reads and writes, in idempotency_schema. A file with another version is
// refused rather than guessed at.
constexpr std::int64_t kSchemaVersion = 1;

constexpr const char* kSchemaSql = R"sql(
CREATE TABLE idempotency_schema (version INTEGER NOT NULL);
INSERT INTO idempotency_schema (version) VALUES (1);
CREATE TABLE idempotency_keys (
  key BLOB PRIMARY KEY NOT NULL,
  digest BLOB NOT NULL,
  completed INTEGER NOT NULL,
  status INTEGER NOT NULL,
  content_type BLOB NOT NULL,
  body BLOB NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  token BLOB NOT NULL
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at_ms);
)sql";

constexpr const char* kFindSql =
    "SELECT digest, completed, status, content_type, body FROM idempotency_keys"
    " WHERE key = ?1 AND expires_at_ms > ?2";

constexpr const char* kPutSql =
    "INSERT OR REPLACE INTO idempotency_keys"
    " (key, digest, completed, status, content_type, body, expires_at_ms, token)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

constexpr const char* kReleaseSql =
    "DELETE FROM idempotency_keys WHERE key = ?1 AND completed = 0 AND token = ?2";

// Expired keys, a bounded batch at a time, so that a claim never pays for a large backlog.
constexpr const char* kCleanupSql =
    "DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys"
    " WHERE expires_at_ms <= ?1 LIMIT 100)";

// One claim in this many also deletes expired keys.
constexpr std::uint64_t kCleanupEvery = 64;

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// now + ttl in milliseconds, saturated; a ttl of 0 or less expires at once.
std::int64_t expiry(std::int64_t now, std::chrono::seconds ttl) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  const std::int64_t seconds = std::max<std::int64_t>(ttl.count(), 0);
  if (seconds > (kMax - std::max<std::int64_t>(now, 0)) / 1000) return kMax;
  return now + seconds * 1000;
}

class SqliteIdempotencyStore final : public IdempotencyStore {
 public:
  SqliteIdempotencyStore(DbPtr db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  Result<Claim> claim(const std::string& key, const std::string& digest,
                      std::chrono::seconds ttl) override;
  Result<void> complete(const std::string& key, const std::string& digest, const StoredReply& reply,
                        std::chrono::seconds ttl) override;
  Result<void> release(const std::string& key, const std::string& token) override;

 private:
  // Must be called before anything else touches the connection (a rollback included).
  Error failure(std::string_view operation, int rc) const {
    return Error(Errc::storage, "idempotency store " + path_ + ": " + std::string(operation) +
                                    ": " + storage::error_text(db_.get(), rc));
  }

  std::mutex mutex_;
  DbPtr db_;
  std::string path_;
  std::uint64_t claims_ = 0;
};

Result<Claim> SqliteIdempotencyStore::claim(const std::string& key, const std::string& digest,
                                            std::chrono::seconds ttl) {
  std::lock_guard<std::mutex> lock(mutex_);
  sqlite3* db = db_.get();
  Transaction transaction(db);
  if (const int rc = transaction.begin(); rc != SQLITE_OK) return failure("claim", rc);
  const std::int64_t now = now_ms();
  Statement find;
  if (const int rc = find.prepare(db, kFindSql); rc != SQLITE_OK) return failure("claim", rc);
  find.bind_blob(1, key);
  find.bind(2, now);
  const int found = find.step();
  if (found == SQLITE_ROW) {
    const std::string recorded = find.blob(0);
    if (!recorded.empty() && !digest.empty() && recorded != digest) {
      return Claim{ClaimState::conflict, std::nullopt, {}};
    }
    if (find.int64(1) == 0) return Claim{ClaimState::in_progress, std::nullopt, {}};
    StoredReply reply;
    reply.status = static_cast<int>(find.int64(2));
    reply.content_type = find.blob(3);
    reply.body = find.blob(4);
    return Claim{ClaimState::completed, std::move(reply), {}};
  }
  if (found != SQLITE_DONE) return failure("claim", found);
  // Unknown or expired: the key is ours (an expired row is replaced).
  auto token = detail::random_claim_token();
  if (!token) return std::move(token).error();
  Statement put;
  if (const int rc = put.prepare(db, kPutSql); rc != SQLITE_OK) return failure("claim", rc);
  put.bind_blob(1, key);
  put.bind_blob(2, digest);
  put.bind(3, 0);
  put.bind(4, 0);
  put.bind_blob(5, std::string());
  put.bind_blob(6, std::string());
  put.bind(7, expiry(now, ttl));
  put.bind_blob(8, *token);
  if (const int rc = put.step(); rc != SQLITE_DONE) return failure("claim", rc);
  if (++claims_ % kCleanupEvery == 0) {
    Statement cleanup;
    if (const int rc = cleanup.prepare(db, kCleanupSql); rc != SQLITE_OK) {
      return failure("deleting expired keys", rc);
    }
    cleanup.bind(1, now);
    if (const int rc = cleanup.step(); rc != SQLITE_DONE) {
      return failure("deleting expired keys", rc);
    }
  }
  if (const int rc = transaction.commit(); rc != SQLITE_OK) return failure("claim", rc);
  Claim claimed;
  claimed.token = std::move(*token);
  return claimed;
}

Result<void> SqliteIdempotencyStore::complete(const std::string& key, const std::string& digest,
                                              const StoredReply& reply, std::chrono::seconds ttl) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement put;
  if (const int rc = put.prepare(db_.get(), kPutSql); rc != SQLITE_OK) {
    return failure("complete", rc);
  }
  put.bind_blob(1, key);
  put.bind_blob(2, digest);
  put.bind(3, 1);
  put.bind(4, reply.status);
  put.bind_blob(5, reply.content_type);
  put.bind_blob(6, reply.body);
  put.bind(7, expiry(now_ms(), ttl));
  put.bind_blob(8, std::string());
  if (const int rc = put.step(); rc != SQLITE_DONE) return failure("complete", rc);
  return {};
}

Result<void> SqliteIdempotencyStore::release(const std::string& key, const std::string& token) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement remove;
  if (const int rc = remove.prepare(db_.get(), kReleaseSql); rc != SQLITE_OK) {
    return failure("release", rc);
  }
  remove.bind_blob(1, key);
  remove.bind_blob(2, token);
  if (const int rc = remove.step(); rc != SQLITE_DONE) return failure("release", rc);
  return {};
}

// ---------------------------------------------------------------------------------------------
// Opening.

Error open_failure(const std::string& path, sqlite3* db, int rc, std::string_view step) {
  const std::string detail = storage::error_text(db, rc);
  if ((rc & 0xFF) == SQLITE_NOTADB) {
    return Error(Errc::storage,
                 "idempotency store " + path + ": not an SQLite database (" + detail + ")");
  }
  return Error(Errc::storage,
               "idempotency store " + path + ": " + std::string(step) + ": " + detail);
}

// Creates the tables when missing, accepts tables this code created, refuses the rest; other
// tables (an outbox's) are left alone. In one IMMEDIATE transaction, so that two processes
// opening a new file create the tables once.
Result<void> prepare_schema(sqlite3* db, const std::string& path) {
  Transaction transaction(db);
  if (const int rc = transaction.begin(); rc != SQLITE_OK) {
    return open_failure(path, db, rc, "reading the schema");
  }
  // Which of the two tables are there: 2 for the version table, 1 for the keys.
  std::int64_t present = 0;
  if (const int rc = storage::query_int(
          db,
          "SELECT COALESCE(SUM(CASE name WHEN 'idempotency_schema' THEN 2 ELSE 1 END), 0)"
          " FROM sqlite_master WHERE type = 'table' AND name IN ('idempotency_schema',"
          " 'idempotency_keys')",
          present);
      rc != SQLITE_OK) {
    return open_failure(path, db, rc, "reading the schema");
  }
  const bool has_version = (present & 2) != 0;
  const bool has_keys = (present & 1) != 0;
  if (!has_version) {
    if (has_keys) {
      return Error(Errc::storage, "idempotency store " + path +
                                      ": not an idempotency store: a table idempotency_keys"
                                      " without its schema version table");
    }
    if (const int rc = sqlite3_exec(db, kSchemaSql, nullptr, nullptr, nullptr); rc != SQLITE_OK) {
      return open_failure(path, db, rc, "creating the tables");
    }
  } else {
    Statement select;
    if (const int rc = select.prepare(db, "SELECT version FROM idempotency_schema");
        rc != SQLITE_OK) {
      return open_failure(path, db, rc, "reading the schema version");
    }
    int rows = 0;
    std::int64_t version = 0;
    int rc = SQLITE_OK;
    while ((rc = select.step()) == SQLITE_ROW) {
      ++rows;
      version = select.int64(0);
    }
    if (rc != SQLITE_DONE) return open_failure(path, db, rc, "reading the schema version");
    if (rows != 1) {
      return Error(Errc::storage, "idempotency store " + path +
                                      ": not an idempotency store: its schema version table"
                                      " holds " +
                                      std::to_string(rows) + " rows");
    }
    if (version != kSchemaVersion) {
      return Error(Errc::storage, "idempotency store " + path + ": schema version " +
                                      std::to_string(version) +
                                      ", but this chathooks reads version " +
                                      std::to_string(kSchemaVersion) + " only");
    }
    if (!has_keys) {
      return Error(Errc::storage, "idempotency store " + path +
                                      ": not an idempotency store: its table is missing");
    }
  }
  if (const int rc = transaction.commit(); rc != SQLITE_OK) {
    return open_failure(path, db, rc, "creating the tables");
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<IdempotencyStore>> open_sqlite_idempotency_store(
    const std::string& path, SqliteIdempotencyStoreOptions options) {
  // SQLite reads "" as a temporary database deleted on close, ":memory:" as one in memory:
  // neither is seen by another process.
  if (path.empty()) {
    return Error(Errc::invalid_argument, "idempotency store: the database path is empty");
  }
  if (path == ":memory:" || path.rfind("file::memory:", 0) == 0) {
    return Error(Errc::invalid_argument,
                 "idempotency store: \"" + path +
                     "\" is a database in memory, which no other process sees: give a file");
  }
  DbPtr db;
  if (const int rc = storage::open_db(path, options.busy_timeout, db); rc != SQLITE_OK) {
    return open_failure(path, db.get(), rc, "cannot open");
  }
  if (auto schema = prepare_schema(db.get(), path); !schema) return schema.error();
  if (const int rc = storage::enable_wal(db.get(), options.busy_timeout); rc != SQLITE_OK) {
    return open_failure(path, db.get(), rc, "setting WAL mode");
  }
  // A lost answer costs a duplicate handled twice at worst, never a lost delivery: no fsync per
  // commit (WAL commits survive a process crash).
  if (const int rc =
          sqlite3_exec(db.get(), "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
      rc != SQLITE_OK) {
    return open_failure(path, db.get(), rc, "setting synchronous");
  }
  return std::shared_ptr<IdempotencyStore>(
      std::make_shared<SqliteIdempotencyStore>(std::move(db), path));
}

}  // namespace chathooks::receiver
