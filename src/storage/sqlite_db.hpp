// SQLite for the SDK's stores (the outbox, the idempotency store): RAII for the C API's
// connection, statements and write transactions, and the steps every store takes to open a
// file (busy timeout, extended result codes, WAL). Private.
//
// Thread-safety: none of its own. A connection (opened NOMUTEX) and everything made from it
// must be used by one thread at a time: each store guards its connection with a mutex.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace chathooks::storage {

/// Rows changed by the connection's last INSERT, UPDATE or DELETE.
std::uint64_t changes(sqlite3* db);

/// Closes a connection.
struct DbCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
/// An owned connection.
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

/// A prepared statement. The first failed bind is remembered and returned by step(), so that a
/// caller binds everything and checks once.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  int prepare(sqlite3* db, const char* sql) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    bind_rc_ = SQLITE_OK;
    return sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }

  void bind(int index, std::int64_t value) { keep(sqlite3_bind_int64(stmt_, index, value)); }
  void bind_null(int index) { keep(sqlite3_bind_null(stmt_, index)); }
  void bind_text(int index, std::string_view text) {
    keep(
        sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  /// data() of a std::string is never null, so an empty value is a zero-length BLOB, not NULL.
  void bind_blob(int index, const std::string& bytes) {
    keep(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  }

  int step() { return bind_rc_ != SQLITE_OK ? bind_rc_ : sqlite3_step(stmt_); }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_rc_ = SQLITE_OK;
  }

  std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string text(int column) const {
    const auto* data = sqlite3_column_text(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    if (data == nullptr || size <= 0) return std::string();
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
  }
  std::string blob(int column) const {
    const void* data = sqlite3_column_blob(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    if (data == nullptr || size <= 0) return std::string();
    return std::string(static_cast<const char*>(data), static_cast<std::size_t>(size));
  }

 private:
  void keep(int rc) {
    if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }
  sqlite3_stmt* stmt_ = nullptr;
  int bind_rc_ = SQLITE_OK;
};

/// A write transaction (BEGIN IMMEDIATE: the file's write lock is taken at begin(), waiting up
/// to the busy timeout), rolled back unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    // A failed COMMIT may leave the transaction open, or SQLite may have rolled it back
    // already: ask rather than guess.
    if (began_ && sqlite3_get_autocommit(db_) == 0) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
  }

  int begin() {
    const int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    began_ = rc == SQLITE_OK;
    return rc;
  }
  int commit() { return sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr); }

 private:
  sqlite3* db_;
  bool began_ = false;
};

/// SQLite's words for a failure with code `rc`: the connection's message when it has one (read
/// it before anything else touches the connection), else the code's.
std::string error_text(sqlite3* db, int rc);

/// Opens (creating when missing) the file at `path` for a store: NOMUTEX (the store's mutex
/// serialises the connection), extended result codes, `busy_timeout` (clamped to what SQLite
/// takes). Returns SQLite's code; `db` holds the handle even when it failed (for its message).
int open_db(const std::string& path, std::chrono::milliseconds busy_timeout, DbPtr& db);

/// The first column of a one-row query such as a PRAGMA, as an integer.
int query_int(sqlite3* db, const char* sql, std::int64_t& out);

/// Switches the file to WAL: readers and one writer of several processes work at once, and a
/// commit needs one fsync (synchronous=FULL) or none until a checkpoint (NORMAL). The mode is
/// stored in the file; the answer is the mode in effect, which stays "memory" for ":memory:",
/// fine. Switching a new file to WAL needs it to itself and SQLite fails at once (no busy
/// handler) when another connection is opening it at the same moment: retried within
/// `busy_timeout`, as the handler would.
int enable_wal(sqlite3* db, std::chrono::milliseconds busy_timeout);

/// The idempotency store's tables (receiver/sqlite_idempotency_store.cpp), which may share a
/// file with the outbox: the outbox's check for "tables of its own" skips them.
inline constexpr const char* kIdempotencyTables = "'idempotency_schema', 'idempotency_keys'";

}  // namespace chathooks::storage
