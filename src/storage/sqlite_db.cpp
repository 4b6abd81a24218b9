// SQLite for the SDK's stores (sqlite_db.hpp). Thread-safety: see there.
#include "storage/sqlite_db.hpp"

#include <algorithm>
#include <climits>
#include <thread>

namespace chathooks::storage {

std::uint64_t changes(sqlite3* db) {
#if SQLITE_VERSION_NUMBER >= 3037000
  return static_cast<std::uint64_t>(sqlite3_changes64(db));
#else
  return static_cast<std::uint64_t>(sqlite3_changes(db));
#endif
}

std::string error_text(sqlite3* db, int rc) {
  const char* message =
      db != nullptr && sqlite3_errcode(db) != SQLITE_OK ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return message != nullptr ? message : "unknown SQLite error";
}

int open_db(const std::string& path, std::chrono::milliseconds busy_timeout, DbPtr& db) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  db.reset(raw);  // sqlite3_open_v2 may return a handle even when it fails: close it too.
  if (rc != SQLITE_OK) return rc;
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(
      db.get(), static_cast<int>(std::clamp<std::int64_t>(busy_timeout.count(), 0, INT_MAX)));
  return SQLITE_OK;
}

int query_int(sqlite3* db, const char* sql, std::int64_t& out) {
  Statement statement;
  if (const int rc = statement.prepare(db, sql); rc != SQLITE_OK) return rc;
  const int rc = statement.step();
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? SQLITE_ERROR : rc;
  out = statement.int64(0);
  return SQLITE_OK;
}

int enable_wal(sqlite3* db, std::chrono::milliseconds busy_timeout) {
  const auto wait = std::chrono::milliseconds(std::max<std::int64_t>(busy_timeout.count(), 0));
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    std::int64_t ignored = 0;
    const int rc = query_int(db, "PRAGMA journal_mode = WAL", ignored);
    const bool busy = (rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED;
    if (!busy || std::chrono::steady_clock::now() >= deadline) return rc;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

}  // namespace chathooks::storage
