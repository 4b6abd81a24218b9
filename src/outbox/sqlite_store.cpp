// The SQLite outbox store (chathooks/outbox/sqlite_store.hpp): one connection per store object,
// two tables (messages, attempts) and a schema version in PRAGMA user_version.
//
// Thread-safety: one mutex guards the connection, so every public call, with its statements
// and its transaction, runs alone within the object (and sqlite3_errmsg() is read before
// another call can overwrite it). Between processes, or between store objects of one process
// on the same file, SQLite's locks do the same work: every write runs in a BEGIN IMMEDIATE
// transaction, which takes the file's write lock at BEGIN (waiting up to busy_timeout), so a
// lease's select and update see no other writer between them.
#include "chathooks/outbox/sqlite_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "outbox/stored_values.hpp"
#include "storage/sqlite_db.hpp"

namespace chathooks::outbox {
namespace {

using Clock = std::chrono::system_clock;
using detail::check_for_enqueue;
using detail::check_lease_for;
using detail::check_purgeable;
using detail::check_settle_items;
using detail::decode_headers;
using detail::from_ms;
using detail::kDead;
using detail::kDelivered;
using detail::kInFlight;
using detail::kLeaseExpiredError;
using detail::kPending;
using detail::new_lease_token;
using detail::saturating_add;
using detail::set_count;
using detail::state_code;
using detail::state_from_code;
using detail::to_ms;
using std::chrono::milliseconds;
using storage::changes;
using storage::DbPtr;
using storage::enable_wal;
using storage::query_int;
using storage::Statement;
using storage::Transaction;

// The layout this code reads and writes. A file with another version is refused rather than
// guessed at: a newer chathooks may have changed what the columns mean.
constexpr int kSchemaVersion = 1;

constexpr const char* kSchemaSql = R"sql(
CREATE TABLE messages (
  id TEXT PRIMARY KEY NOT NULL,
  kind TEXT NOT NULL,
  method TEXT NOT NULL,
  url TEXT NOT NULL,
  headers BLOB NOT NULL,
  body BLOB NOT NULL,
  timeout_ms INTEGER NOT NULL,
  state INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  next_attempt_at_ms INTEGER NOT NULL,
  lease_token TEXT,
  lease_until_ms INTEGER,
  last_error TEXT NOT NULL,
  dead_reason TEXT NOT NULL
);
CREATE INDEX messages_by_state_due ON messages (state, next_attempt_at_ms);
CREATE TABLE attempts (
  seq INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL,
  number INTEGER NOT NULL,
  started_at_ms INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  status INTEGER NOT NULL,
  error TEXT NOT NULL
);
CREATE INDEX attempts_by_message ON attempts (message_id);
)sql";

// Added after version 1 without a version change: earlier chathooks ignore it. Created by every
// open that finds it missing.
constexpr const char* kEndpointsSql = R"sql(
CREATE TABLE IF NOT EXISTS endpoints (
  endpoint TEXT PRIMARY KEY NOT NULL,
  state INTEGER NOT NULL,
  consecutive_failures INTEGER NOT NULL,
  paused_until_ms INTEGER NOT NULL,
  pause_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
)sql";

// The later save of an endpoint stays (ties: the newer call).
constexpr const char* kSaveEndpointSql =
    "INSERT INTO endpoints (endpoint, state, consecutive_failures, paused_until_ms, pause_ms,"
    " updated_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (endpoint) DO UPDATE SET"
    " state = excluded.state, consecutive_failures = excluded.consecutive_failures,"
    " paused_until_ms = excluded.paused_until_ms, pause_ms = excluded.pause_ms,"
    " updated_at_ms = excluded.updated_at_ms WHERE excluded.updated_at_ms >= updated_at_ms";

// The columns read_message() expects, in its order.
#define CHATHOOKS_OUTBOX_MESSAGE_COLUMNS                                               \
  "id, kind, method, url, headers, body, timeout_ms, state, attempts, created_at_ms, " \
  "next_attempt_at_ms, last_error, dead_reason"

constexpr const char* kFindSql =
    "SELECT " CHATHOOKS_OUTBOX_MESSAGE_COLUMNS " FROM messages WHERE id = ?1";

// Due pending messages and expired leases, each branch cut to ?2 rows through the index on
// (state, next_attempt_at_ms) before the merge, so a large backlog is not sorted on every call.
constexpr const char* kLeaseSelectSql =
    "SELECT * FROM (SELECT " CHATHOOKS_OUTBOX_MESSAGE_COLUMNS
    ", rowid AS seq FROM messages WHERE state = 0 AND next_attempt_at_ms <= ?1"
    " ORDER BY next_attempt_at_ms, rowid LIMIT ?2)"
    " UNION ALL "
    "SELECT * FROM (SELECT " CHATHOOKS_OUTBOX_MESSAGE_COLUMNS
    ", rowid AS seq FROM messages WHERE state = 1 AND lease_until_ms <= ?1"
    " ORDER BY next_attempt_at_ms, rowid LIMIT ?2)"
    " ORDER BY next_attempt_at_ms, seq LIMIT ?2";

#undef CHATHOOKS_OUTBOX_MESSAGE_COLUMNS

constexpr const char* kLeaseUpdateSql =
    "UPDATE messages SET state = 1, lease_token = ?2, lease_until_ms = ?3 WHERE id = ?1";

// An expired lease handed out again counts as a failed attempt (kLeaseExpiredError).
constexpr const char* kLeaseExpiredUpdateSql =
    "UPDATE messages SET state = 1, lease_token = ?2, lease_until_ms = ?3,"
    " attempts = attempts + 1, last_error = ?4 WHERE id = ?1";

constexpr const char* kInsertSql =
    "INSERT INTO messages (id, kind, method, url, headers, body, timeout_ms, state, attempts,"
    " created_at_ms, next_attempt_at_ms, lease_token, lease_until_ms, last_error, dead_reason)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?10, NULL, NULL, ?11, '')";

// ?4 NULL keeps next_attempt_at_ms. The lease check is in the WHERE clause: no row changes
// when the lease is not the current one.
constexpr const char* kSettleSql =
    "UPDATE messages SET state = ?3, attempts = attempts + 1,"
    " next_attempt_at_ms = COALESCE(?4, next_attempt_at_ms), last_error = ?5, dead_reason = ?6,"
    " lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = ?1 AND state = 1 AND lease_token = ?2";

constexpr const char* kInsertAttemptSql =
    "INSERT INTO attempts (message_id, number, started_at_ms, duration_ms, status, error)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

constexpr const char* kMarkDamagedSql =
    "UPDATE messages SET state = 3, dead_reason = ?2, last_error = ?2, lease_token = NULL,"
    " lease_until_ms = NULL WHERE id = ?1";

constexpr const char* kReleaseSql =
    "UPDATE messages SET state = 0, lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = ?1 AND state = 1 AND lease_token = ?2";

constexpr const char* kDeferSql =
    "UPDATE messages SET state = 0, lease_token = NULL, lease_until_ms = NULL,"
    " next_attempt_at_ms = ?3 WHERE id = ?1 AND state = 1 AND lease_token = ?2";

// ---------------------------------------------------------------------------------------------
// The store.

class SqliteStore final : public OutboxStore {
 public:
  SqliteStore(DbPtr db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  Result<void> enqueue(const StoredMessage& message) override;
  Result<std::vector<Lease>> lease(std::size_t max, Clock::time_point now,
                                   milliseconds lease_for) override;
  Result<void> settle(const Lease& lease, const AttemptLog& attempt,
                      const Settlement& settlement) override;
  Result<std::vector<bool>> settle_all(const std::vector<SettleItem>& items) override;
  Result<void> release(const Lease& lease) override;
  Result<void> defer(const Lease& lease, Clock::time_point due) override;
  Result<Counts> counts() override;
  Result<std::optional<Clock::time_point>> next_due() override;
  Result<std::uint64_t> retry_dead(Clock::time_point now) override;
  Result<std::uint64_t> purge(MessageState state) override;
  Result<std::optional<StoredMessage>> find(std::string_view id) override;
  Result<std::vector<AttemptLog>> attempts(std::string_view id) override;
  Result<void> save_endpoint(const EndpointRecord& record) override;
  Result<std::vector<EndpointRecord>> endpoint_records() override;

 private:
  // Must be called before anything else touches the connection (a rollback included), or the
  // message would describe that instead.
  Error failure(std::string_view operation, int rc) const {
    const char* message =
        sqlite3_errcode(db_.get()) == SQLITE_OK ? sqlite3_errstr(rc) : sqlite3_errmsg(db_.get());
    return Error(Errc::storage, "outbox " + path_ + ": " + std::string(operation) + ": " +
                                    (message != nullptr ? message : "unknown SQLite error"));
  }
  Error corrupt(std::string_view operation, std::string_view what) const {
    return Error(Errc::storage,
                 "outbox " + path_ + ": " + std::string(operation) + ": " + std::string(what));
  }
  Result<StoredMessage> read_message(const Statement& row, std::string_view operation) const;
  Result<bool> apply_in_transaction(std::string_view operation, const Lease& lease, const char* sql,
                                    const std::function<void(Statement&)>& bind_rest,
                                    const AttemptLog* attempt);
  Result<void> apply_to_lease(std::string_view operation, const Lease& lease, const char* sql,
                              const std::function<void(Statement&)>& bind_rest,
                              const AttemptLog* attempt);
  Result<std::uint64_t> run_update(std::string_view operation,
                                   std::initializer_list<const char*> statements,
                                   const std::function<void(Statement&)>& bind);

  std::mutex mutex_;
  DbPtr db_;
  std::string path_;
};

Result<StoredMessage> SqliteStore::read_message(const Statement& row,
                                                std::string_view operation) const {
  StoredMessage message;
  message.id = row.text(0);
  message.kind = row.text(1);
  message.request.method = row.text(2);
  message.request.url = row.text(3);
  auto headers = decode_headers(row.blob(4));
  if (!headers) return corrupt(operation, "the stored headers of " + message.id + " are corrupt");
  message.request.headers = std::move(*headers);
  message.request.body = row.blob(5);
  message.request.timeout = milliseconds(row.int64(6));
  const auto state = state_from_code(row.int64(7));
  if (!state) return corrupt(operation, "message " + message.id + " has an unknown state");
  message.state = *state;
  message.attempts = static_cast<int>(row.int64(8));
  message.created_at = from_ms(row.int64(9));
  message.next_attempt_at = from_ms(row.int64(10));
  message.last_error = row.text(11);
  message.dead_reason = row.text(12);
  return message;
}

Result<void> SqliteStore::enqueue(const StoredMessage& message) {
  const auto headers = check_for_enqueue(message);
  if (!headers) return headers.error();
  std::lock_guard<std::mutex> lock(mutex_);
  sqlite3* db = db_.get();
  Transaction transaction(db);
  if (const int rc = transaction.begin(); rc != SQLITE_OK) return failure("enqueue", rc);
  Statement insert;
  if (const int rc = insert.prepare(db, kInsertSql); rc != SQLITE_OK) {
    return failure("enqueue", rc);
  }
  insert.bind_text(1, message.id);
  insert.bind_text(2, message.kind);
  insert.bind_text(3, message.request.method);
  insert.bind_text(4, message.request.url);
  insert.bind_blob(5, *headers);
  insert.bind_blob(6, message.request.body);
  insert.bind(7, message.request.timeout.count());
  insert.bind(8, message.attempts);
  insert.bind(9, to_ms(message.created_at));
  insert.bind(10, to_ms(message.next_attempt_at));
  insert.bind_text(11, message.last_error);
  const int rc = insert.step();
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Error(Errc::duplicate,
                 "outbox enqueue: a message with id " + message.id + " is already stored");
  }
  if (rc != SQLITE_DONE) return failure("enqueue", rc);
  if (const int commit_rc = transaction.commit(); commit_rc != SQLITE_OK) {
    return failure("enqueue", commit_rc);
  }
  return {};
}

Result<std::vector<Lease>> SqliteStore::lease(std::size_t max, Clock::time_point now,
                                              milliseconds lease_for) {
  if (auto checked = check_lease_for(lease_for); !checked) return checked.error();
  std::vector<Lease> leases;
  if (max == 0) return leases;
  const std::int64_t now_ms = to_ms(now);
  const std::int64_t until_ms = saturating_add(now_ms, lease_for.count());
  const auto limit = static_cast<std::int64_t>(
      std::min<std::size_t>(max, static_cast<std::size_t>(std::numeric_limits<int>::max())));

  std::lock_guard<std::mutex> lock(mutex_);
  sqlite3* db = db_.get();
  Transaction transaction(db);
  if (const int rc = transaction.begin(); rc != SQLITE_OK) return failure("lease", rc);

  // All rows are read before any is updated: updating a table under a running SELECT on it
  // is allowed but leaves what the SELECT sees next unspecified.
  Statement select;
  if (const int rc = select.prepare(db, kLeaseSelectSql); rc != SQLITE_OK) {
    return failure("lease", rc);
  }
  select.bind(1, now_ms);
  select.bind(2, limit);
  int rc = SQLITE_OK;
  // A row that cannot be read back (damaged by hand) is given up, saying why, rather than fail
  // every lease() that meets it.
  std::vector<std::pair<std::string, std::string>> damaged;
  while ((rc = select.step()) == SQLITE_ROW) {
    auto message = read_message(select, "lease");
    if (!message) {
      damaged.emplace_back(select.text(0), "unreadable: " + message.error().message());
      continue;
    }
    leases.push_back(Lease{std::move(*message), std::string(), from_ms(until_ms)});
  }
  if (rc != SQLITE_DONE) return failure("lease", rc);
  for (const auto& [id, why] : damaged) {
    Statement give_up;
    if (rc = give_up.prepare(db, kMarkDamagedSql); rc != SQLITE_OK) return failure("lease", rc);
    give_up.bind_text(1, id);
    give_up.bind_text(2, why);
    if (rc = give_up.step(); rc != SQLITE_DONE) return failure("lease", rc);
  }

  Statement update;
  if (rc = update.prepare(db, kLeaseUpdateSql); rc != SQLITE_OK) return failure("lease", rc);
  Statement expired_update;
  if (rc = expired_update.prepare(db, kLeaseExpiredUpdateSql); rc != SQLITE_OK) {
    return failure("lease", rc);
  }
  Statement log;
  if (rc = log.prepare(db, kInsertAttemptSql); rc != SQLITE_OK) return failure("lease", rc);
  for (Lease& lease : leases) {
    auto token = new_lease_token();
    if (!token) return Error(Errc::storage, "outbox lease: no random bytes for a lease token");
    lease.token = std::move(*token);
    const bool expired = lease.message.state == MessageState::in_flight;
    lease.message.state = MessageState::in_flight;
    Statement& change = expired ? expired_update : update;
    change.bind_text(1, lease.message.id);
    change.bind_text(2, lease.token);
    change.bind(3, until_ms);
    if (expired) change.bind_text(4, kLeaseExpiredError);
    if (rc = change.step(); rc != SQLITE_DONE) return failure("lease", rc);
    change.reset();
    if (expired) {
      ++lease.message.attempts;
      lease.message.last_error = kLeaseExpiredError;
      log.bind_text(1, lease.message.id);
      log.bind(2, static_cast<std::int64_t>(lease.message.attempts));
      log.bind(3, now_ms);
      log.bind(4, std::int64_t{0});
      log.bind(5, std::int64_t{0});
      log.bind_text(6, kLeaseExpiredError);
      if (rc = log.step(); rc != SQLITE_DONE) return failure("lease", rc);
      log.reset();
    }
  }
  if (rc = transaction.commit(); rc != SQLITE_OK) return failure("lease", rc);
  return leases;
}

// Runs `sql` (an UPDATE whose ?1 and ?2 are the message id and the lease token; `bind_rest`
// binds the others) and, when `attempt` is given, records it, inside the caller's transaction.
// False when the UPDATE matched no row (the lease is not the message's current one).
Result<bool> SqliteStore::apply_in_transaction(std::string_view operation, const Lease& lease,
                                               const char* sql,
                                               const std::function<void(Statement&)>& bind_rest,
                                               const AttemptLog* attempt) {
  sqlite3* db = db_.get();
  Statement update;
  if (const int rc = update.prepare(db, sql); rc != SQLITE_OK) return failure(operation, rc);
  update.bind_text(1, lease.message.id);
  update.bind_text(2, lease.token);
  bind_rest(update);
  if (const int rc = update.step(); rc != SQLITE_DONE) return failure(operation, rc);
  if (changes(db) == 0) return false;
  if (attempt != nullptr) {
    Statement insert;
    if (const int rc = insert.prepare(db, kInsertAttemptSql); rc != SQLITE_OK) {
      return failure(operation, rc);
    }
    insert.bind_text(1, lease.message.id);
    insert.bind(2, attempt->number);
    insert.bind(3, to_ms(attempt->started_at));
    insert.bind(4, attempt->duration.count());
    insert.bind(5, attempt->status);
    insert.bind_text(6, attempt->error);
    if (const int rc = insert.step(); rc != SQLITE_DONE) return failure(operation, rc);
  }
  return true;
}

// apply_in_transaction() alone in a transaction: all or nothing, and Errc::lease_lost when the
// lease is not held.
Result<void> SqliteStore::apply_to_lease(std::string_view operation, const Lease& lease,
                                         const char* sql,
                                         const std::function<void(Statement&)>& bind_rest,
                                         const AttemptLog* attempt) {
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction transaction(db_.get());
  if (const int rc = transaction.begin(); rc != SQLITE_OK) return failure(operation, rc);
  auto applied = apply_in_transaction(operation, lease, sql, bind_rest, attempt);
  if (!applied) return std::move(applied).error();
  if (!*applied) {
    return Error(Errc::lease_lost, "outbox " + std::string(operation) + ": the lease on " +
                                       lease.message.id + " is no longer held");
  }
  if (const int rc = transaction.commit(); rc != SQLITE_OK) return failure(operation, rc);
  return {};
}

// Binds a settlement's ?3 to ?6 of kSettleSql.
void bind_settlement(Statement& update, const Settlement& settlement) {
  switch (settlement.kind) {
    case Settlement::Kind::delivered:
      update.bind(3, kDelivered);
      update.bind_null(4);
      update.bind_text(5, settlement.reason);
      update.bind_text(6, "");
      break;
    case Settlement::Kind::retry:
      update.bind(3, kPending);
      update.bind(4, to_ms(settlement.next_attempt_at));
      update.bind_text(5, settlement.reason);
      update.bind_text(6, "");
      break;
    case Settlement::Kind::dead:
      update.bind(3, kDead);
      update.bind_null(4);
      update.bind_text(5, settlement.reason);
      update.bind_text(6, settlement.reason);
      break;
  }
}

Result<void> SqliteStore::settle(const Lease& lease, const AttemptLog& attempt,
                                 const Settlement& settlement) {
  return apply_to_lease(
      "settle", lease, kSettleSql,
      [&settlement](Statement& update) { bind_settlement(update, settlement); }, &attempt);
}

// One transaction for the whole batch: one commit, so one fsync, instead of one per message.
Result<std::vector<bool>> SqliteStore::settle_all(const std::vector<SettleItem>& items) {
  if (auto checked = check_settle_items(items); !checked) return checked.error();
  std::vector<bool> settled;
  settled.reserve(items.size());
  if (items.empty()) return settled;
  std::lock_guard<std::mutex> lock(mutex_);
  Transaction transaction(db_.get());
  if (const int rc = transaction.begin(); rc != SQLITE_OK) return failure("settle", rc);
  for (const SettleItem& item : items) {
    auto applied = apply_in_transaction(
        "settle", *item.lease, kSettleSql,
        [&item](Statement& update) { bind_settlement(update, item.settlement); }, &item.attempt);
    if (!applied) return std::move(applied).error();
    settled.push_back(*applied);
  }
  if (const int rc = transaction.commit(); rc != SQLITE_OK) return failure("settle", rc);
  return settled;
}

Result<void> SqliteStore::release(const Lease& lease) {
  return apply_to_lease(
      "release", lease, kReleaseSql, [](Statement&) {}, nullptr);
}

Result<void> SqliteStore::defer(const Lease& lease, Clock::time_point due) {
  return apply_to_lease(
      "defer", lease, kDeferSql, [due](Statement& update) { update.bind(3, to_ms(due)); }, nullptr);
}

Result<Counts> SqliteStore::counts() {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement select;
  if (const int rc =
          select.prepare(db_.get(), "SELECT state, COUNT(*) FROM messages GROUP BY state");
      rc != SQLITE_OK) {
    return failure("counts", rc);
  }
  Counts counts;
  int rc = SQLITE_OK;
  while ((rc = select.step()) == SQLITE_ROW) {
    const auto state = state_from_code(select.int64(0));
    if (!state) return corrupt("counts", "a message has an unknown state");
    const auto count = static_cast<std::uint64_t>(select.int64(1));
    set_count(counts, *state, count);
  }
  if (rc != SQLITE_DONE) return failure("counts", rc);
  return counts;
}

Result<std::optional<Clock::time_point>> SqliteStore::next_due() {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement select;
  if (const int rc =
          select.prepare(db_.get(), "SELECT MIN(next_attempt_at_ms) FROM messages WHERE state = 0");
      rc != SQLITE_OK) {
    return failure("next_due", rc);
  }
  if (const int rc = select.step(); rc != SQLITE_ROW) return failure("next_due", rc);
  std::optional<Clock::time_point> due;
  if (!select.is_null(0)) due = from_ms(select.int64(0));
  return due;
}

// Write statements, each bound by `bind`, in one IMMEDIATE transaction; returns the rows the
// last one changed.
Result<std::uint64_t> SqliteStore::run_update(std::string_view operation,
                                              std::initializer_list<const char*> statements,
                                              const std::function<void(Statement&)>& bind) {
  std::lock_guard<std::mutex> lock(mutex_);
  sqlite3* db = db_.get();
  Transaction transaction(db);
  if (const int rc = transaction.begin(); rc != SQLITE_OK) return failure(operation, rc);
  std::uint64_t changed = 0;
  for (const char* sql : statements) {
    Statement statement;
    if (const int rc = statement.prepare(db, sql); rc != SQLITE_OK) return failure(operation, rc);
    bind(statement);
    if (const int rc = statement.step(); rc != SQLITE_DONE) return failure(operation, rc);
    changed = changes(db);
  }
  if (const int rc = transaction.commit(); rc != SQLITE_OK) return failure(operation, rc);
  return changed;
}

Result<std::uint64_t> SqliteStore::retry_dead(Clock::time_point now) {
  return run_update(
      "retry_dead",
      {"UPDATE messages SET state = 0, attempts = 0, next_attempt_at_ms = ?1, dead_reason = ''"
       " WHERE state = 3"},
      [now](Statement& update) { update.bind(1, to_ms(now)); });
}

Result<std::uint64_t> SqliteStore::purge(MessageState state) {
  if (auto checked = check_purgeable(state); !checked) return checked.error();
  // The attempts first, while their messages still say which they are.
  return run_update("purge",
                    {"DELETE FROM attempts WHERE message_id IN"
                     " (SELECT id FROM messages WHERE state = ?1)",
                     "DELETE FROM messages WHERE state = ?1"},
                    [state](Statement& remove) { remove.bind(1, state_code(state)); });
}

Result<std::optional<StoredMessage>> SqliteStore::find(std::string_view id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement select;
  if (const int rc = select.prepare(db_.get(), kFindSql); rc != SQLITE_OK) {
    return failure("find", rc);
  }
  select.bind_text(1, id);
  const int rc = select.step();
  if (rc == SQLITE_DONE) return std::optional<StoredMessage>();
  if (rc != SQLITE_ROW) return failure("find", rc);
  auto message = read_message(select, "find");
  if (!message) return std::move(message).error();
  return std::optional<StoredMessage>(std::move(*message));
}

Result<std::vector<AttemptLog>> SqliteStore::attempts(std::string_view id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement select;
  if (const int rc = select.prepare(db_.get(),
                                    "SELECT number, started_at_ms, duration_ms, status, error"
                                    " FROM attempts WHERE message_id = ?1 ORDER BY seq");
      rc != SQLITE_OK) {
    return failure("attempts", rc);
  }
  select.bind_text(1, id);
  std::vector<AttemptLog> logs;
  int rc = SQLITE_OK;
  while ((rc = select.step()) == SQLITE_ROW) {
    AttemptLog log;
    log.number = static_cast<int>(select.int64(0));
    log.started_at = from_ms(select.int64(1));
    log.duration = milliseconds(select.int64(2));
    log.status = static_cast<int>(select.int64(3));
    log.error = select.text(4);
    logs.push_back(std::move(log));
  }
  if (rc != SQLITE_DONE) return failure("attempts", rc);
  return logs;
}

Result<void> SqliteStore::save_endpoint(const EndpointRecord& record) {
  if (auto checked = detail::check_endpoint_record(record); !checked) return checked.error();
  auto saved = run_update("save_endpoint", {kSaveEndpointSql}, [&record](Statement& insert) {
    insert.bind_text(1, record.endpoint);
    insert.bind(2, detail::endpoint_state_code(record.state));
    insert.bind(3, record.consecutive_failures);
    insert.bind(4, to_ms(record.paused_until));
    insert.bind(5, record.pause.count());
    insert.bind(6, to_ms(record.updated_at));
  });
  if (!saved) return std::move(saved).error();
  return {};
}

Result<std::vector<EndpointRecord>> SqliteStore::endpoint_records() {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement select;
  if (const int rc = select.prepare(db_.get(),
                                    "SELECT endpoint, state, consecutive_failures, paused_until_ms,"
                                    " pause_ms, updated_at_ms FROM endpoints ORDER BY endpoint");
      rc != SQLITE_OK) {
    return failure("endpoint_records", rc);
  }
  std::vector<EndpointRecord> records;
  int rc = SQLITE_OK;
  while ((rc = select.step()) == SQLITE_ROW) {
    const auto state = detail::endpoint_state_from_code(select.int64(1));
    if (!state) return corrupt("endpoint_records", "an endpoint has an unknown state");
    EndpointRecord record;
    record.endpoint = select.text(0);
    record.state = *state;
    record.consecutive_failures = static_cast<int>(select.int64(2));
    record.paused_until = from_ms(select.int64(3));
    record.pause = milliseconds(select.int64(4));
    record.updated_at = from_ms(select.int64(5));
    records.push_back(std::move(record));
  }
  if (rc != SQLITE_DONE) return failure("endpoint_records", rc);
  return records;
}

// ---------------------------------------------------------------------------------------------
// Opening.

Error open_failure(const std::string& path, sqlite3* db, int rc, std::string_view step) {
  const std::string detail = storage::error_text(db, rc);
  if ((rc & 0xFF) == SQLITE_NOTADB) {
    return Error(Errc::storage,
                 "outbox " + path + ": not an outbox: not an SQLite database (" + detail + ")");
  }
  return Error(Errc::storage, "outbox " + path + ": " + std::string(step) + ": " + detail);
}

// Creates the tables in an empty file, accepts a file this code created, refuses the rest.
// In one IMMEDIATE transaction, so that two processes opening a new file create it once.
Result<void> prepare_schema(sqlite3* db, const std::string& path) {
  Transaction transaction(db);
  if (const int rc = transaction.begin(); rc != SQLITE_OK) {
    return open_failure(path, db, rc, "reading the schema");
  }
  std::int64_t version = 0;
  if (const int rc = query_int(db, "PRAGMA user_version", version); rc != SQLITE_OK) {
    return open_failure(path, db, rc, "reading the schema version");
  }
  if (version == 0) {
    std::int64_t objects = 0;
    // An idempotency store's tables may be there: they share the file with the outbox.
    const std::string count =
        std::string("SELECT COUNT(*) FROM sqlite_master WHERE tbl_name NOT IN (") +
        storage::kIdempotencyTables + ")";
    if (const int rc = query_int(db, count.c_str(), objects); rc != SQLITE_OK) {
      return open_failure(path, db, rc, "reading the schema");
    }
    if (objects != 0) {
      return Error(Errc::storage, "outbox " + path +
                                      ": not an outbox: an SQLite database with tables of its "
                                      "own and no outbox schema version");
    }
    const std::string create =
        std::string(kSchemaSql) + "PRAGMA user_version = " + std::to_string(kSchemaVersion) + ";";
    if (const int rc = sqlite3_exec(db, create.c_str(), nullptr, nullptr, nullptr);
        rc != SQLITE_OK) {
      return open_failure(path, db, rc, "creating the tables");
    }
  } else if (version == kSchemaVersion) {
    std::int64_t tables = 0;
    if (const int rc = query_int(db,
                                 "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND"
                                 " name IN ('messages', 'attempts')",
                                 tables);
        rc != SQLITE_OK) {
      return open_failure(path, db, rc, "reading the schema");
    }
    if (tables != 2) {
      return Error(Errc::storage, "outbox " + path + ": not an outbox: its tables are missing");
    }
  } else {
    return Error(Errc::storage, "outbox " + path + ": schema version " + std::to_string(version) +
                                    ", but this chathooks reads version " +
                                    std::to_string(kSchemaVersion) + " only");
  }
  if (const int rc = sqlite3_exec(db, kEndpointsSql, nullptr, nullptr, nullptr); rc != SQLITE_OK) {
    return open_failure(path, db, rc, "creating the endpoints table");
  }
  if (const int rc = transaction.commit(); rc != SQLITE_OK) {
    return open_failure(path, db, rc, "creating the tables");
  }
  return {};
}

// Connection settings: they hold for this connection only, so every open sets them.
// Called once prepare_schema() has accepted the file: a file that is not an outbox is refused
// before anything about it changes (the journal mode is stored in the file).
Result<void> configure(sqlite3* db, const std::string& path, const SqliteStoreOptions& options) {
  const auto busy_ms = std::clamp<std::int64_t>(options.busy_timeout.count(), 0, INT_MAX);
  if (const int rc = enable_wal(db, milliseconds(busy_ms)); rc != SQLITE_OK) {
    return open_failure(path, db, rc, "setting WAL mode");
  }
  const char* sync =
      options.sync_every_commit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
  if (const int rc = sqlite3_exec(db, sync, nullptr, nullptr, nullptr); rc != SQLITE_OK) {
    return open_failure(path, db, rc, "setting synchronous");
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<OutboxStore>> open_sqlite_store(const std::string& path,
                                                       SqliteStoreOptions options) {
  // SQLite reads "" as a temporary database deleted on close: not durable storage.
  if (path.empty()) return Error(Errc::invalid_argument, "outbox: the database path is empty");
  DbPtr db;
  if (const int rc = storage::open_db(path, options.busy_timeout, db); rc != SQLITE_OK) {
    return open_failure(path, db.get(), rc, "cannot open");
  }
  if (auto schema = prepare_schema(db.get(), path); !schema) return schema.error();
  if (auto configured = configure(db.get(), path, options); !configured) return configured.error();
  return std::shared_ptr<OutboxStore>(std::make_shared<SqliteStore>(std::move(db), path));
}

}  // namespace chathooks::outbox
