// The PostgreSQL outbox store (chathooks/outbox/postgres_store.hpp): three tables in a schema of
// their own, every operation one statement (data-modifying CTEs where an operation writes two
// tables), so each is atomic without a transaction held across round trips.
//
// Leases: due rows are taken with FOR UPDATE SKIP LOCKED, so concurrent lease() calls, in any
// number of processes, never wait for one another and never take the same row: a row another
// lease() has locked is skipped, and a row it has leased and committed no longer matches
// (PostgreSQL re-checks the WHERE clause on the newest version of a row it locks).
// Times are the callers' clocks, as with SQLite: the machines of a fleet keep them in step
// (NTP); a clock that runs ahead takes leases early.
//
// Thread-safety: see PgPool (postgres_pool.hpp); the store holds no other mutable state.
#include "chathooks/outbox/postgres_store.hpp"

#include <algorithm>
#include <limits>
#include <string_view>
#include <utility>

#include "json/utf8.hpp"
#include "outbox/postgres_pool.hpp"
#include "outbox/stored_values.hpp"

namespace chathooks::outbox {
namespace {

using Clock = std::chrono::system_clock;
using detail::check_for_enqueue;
using detail::check_lease_for;
using detail::check_purgeable;
using detail::check_settle_items;
using detail::decode_headers;
using detail::describe;
using detail::from_ms;
using detail::in_schema;
using detail::kDead;
using detail::kDelivered;
using detail::kLeaseExpiredError;
using detail::kPending;
using detail::new_lease_token;
using detail::PgParams;
using detail::PgPool;
using detail::PgRows;
using detail::saturating_add;
using detail::set_count;
using detail::state_code;
using detail::state_from_code;
using detail::to_ms;
using detail::valid_schema_name;
using std::chrono::milliseconds;

// The layout this code reads and writes, kept in <schema>.outbox_schema. A database with
// another version is refused rather than guessed at.
constexpr int kSchemaVersion = 1;

// "@" stands for the quoted schema name in every statement below.
constexpr const char* kSchemaSql = R"sql(
CREATE SCHEMA IF NOT EXISTS @;
CREATE TABLE @.outbox_schema (version integer NOT NULL);
INSERT INTO @.outbox_schema (version) VALUES (1);
CREATE TABLE @.outbox_messages (
  seq bigserial NOT NULL UNIQUE,
  id text PRIMARY KEY,
  kind text NOT NULL,
  method text NOT NULL,
  url text NOT NULL,
  headers bytea NOT NULL,
  body bytea NOT NULL,
  timeout_ms bigint NOT NULL,
  state smallint NOT NULL,
  attempts integer NOT NULL,
  created_at_ms bigint NOT NULL,
  next_attempt_at_ms bigint NOT NULL,
  lease_token text,
  lease_until_ms bigint,
  last_error text NOT NULL,
  dead_reason text NOT NULL
);
CREATE INDEX outbox_messages_due ON @.outbox_messages (state, next_attempt_at_ms, seq);
CREATE INDEX outbox_messages_leased ON @.outbox_messages (lease_until_ms) WHERE state = 1;
CREATE TABLE @.outbox_attempts (
  seq bigserial PRIMARY KEY,
  message_id text NOT NULL,
  number integer NOT NULL,
  started_at_ms bigint NOT NULL,
  duration_ms bigint NOT NULL,
  status integer NOT NULL,
  error text NOT NULL
);
CREATE INDEX outbox_attempts_by_message ON @.outbox_attempts (message_id, seq);
)sql";

// The columns read_message() expects, in its order.
#define CHATHOOKS_PG_MESSAGE_COLUMNS                                                   \
  "id, kind, method, url, headers, body, timeout_ms, state, attempts, created_at_ms, " \
  "next_attempt_at_ms, last_error, dead_reason"

// The statements the pool prepares, by index (enum Statement).
enum Statement : std::size_t {
  kInsert,
  kLease,
  kSettle,
  kRelease,
  kCounts,
  kNextDue,
  kRetryDead,
  kPurge,
  kFind,
  kAttempts,
  kMarkDamaged,
  kDefer,
  kSaveEndpoint,
  kEndpointRecords,
  kStatementCount
};

// Added after version 1 without a version change: earlier chathooks ignore it.
constexpr const char* kEndpointsSql = R"sql(
CREATE TABLE IF NOT EXISTS @.outbox_endpoints (
  endpoint text PRIMARY KEY,
  state smallint NOT NULL,
  consecutive_failures integer NOT NULL,
  paused_until_ms bigint NOT NULL,
  pause_ms bigint NOT NULL,
  updated_at_ms bigint NOT NULL
);
)sql";

// The later save of an endpoint stays (ties: the newer call).
constexpr const char* kSaveEndpointSql =
    "INSERT INTO @.outbox_endpoints AS e (endpoint, state, consecutive_failures, paused_until_ms,"
    " pause_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (endpoint) DO UPDATE"
    " SET state = excluded.state, consecutive_failures = excluded.consecutive_failures,"
    " paused_until_ms = excluded.paused_until_ms, pause_ms = excluded.pause_ms,"
    " updated_at_ms = excluded.updated_at_ms WHERE excluded.updated_at_ms >= e.updated_at_ms";

constexpr const char* kEndpointRecordsSql =
    "SELECT endpoint, state, consecutive_failures, paused_until_ms, pause_ms, updated_at_ms"
    " FROM @.outbox_endpoints ORDER BY endpoint";

constexpr const char* kInsertSql =
    "INSERT INTO @.outbox_messages (id, kind, method, url, headers, body, timeout_ms, state,"
    " attempts, created_at_ms, next_attempt_at_ms, lease_token, lease_until_ms, last_error,"
    " dead_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8, $9, $10, NULL, NULL, $11, '')";

// $1 now, $2 max, $3 a random token, $4 lease until, $5 the expired-lease error. Each message's
// lease token is "token:id", distinct per message and per lease() call. Each branch is cut to
// $2 rows through an index before the merge; rows locked by a branch but cut by the merge stay
// pending and are unlocked at commit, at the end of this statement.
constexpr const char* kLeaseSql =
    "WITH pending AS ("
    " SELECT id, seq, next_attempt_at_ms, state FROM @.outbox_messages"
    " WHERE state = 0 AND next_attempt_at_ms <= $1"
    " ORDER BY next_attempt_at_ms, seq LIMIT $2 FOR UPDATE SKIP LOCKED),"
    " expired AS ("
    " SELECT id, seq, next_attempt_at_ms, state FROM @.outbox_messages"
    " WHERE state = 1 AND lease_until_ms <= $1"
    " ORDER BY next_attempt_at_ms, seq LIMIT $2 FOR UPDATE SKIP LOCKED),"
    " picked AS ("
    " SELECT * FROM pending UNION ALL SELECT * FROM expired"
    " ORDER BY next_attempt_at_ms, seq LIMIT $2),"
    " leased AS ("
    " UPDATE @.outbox_messages m SET state = 1, lease_token = $3 || ':' || m.id,"
    " lease_until_ms = $4,"
    " attempts = m.attempts + CASE WHEN picked.state = 1 THEN 1 ELSE 0 END,"
    " last_error = CASE WHEN picked.state = 1 THEN $5 ELSE m.last_error END"
    " FROM picked WHERE m.id = picked.id"
    " RETURNING picked.state AS was_state, m.seq, m.id, m.kind, m.method, m.url, m.headers,"
    " m.body, m.timeout_ms, m.state, m.attempts, m.created_at_ms, m.next_attempt_at_ms,"
    " m.last_error, m.dead_reason, m.lease_token),"
    " logged AS ("
    " INSERT INTO @.outbox_attempts (message_id, number, started_at_ms, duration_ms, status,"
    " error) SELECT id, attempts, $1, 0, 0, $5 FROM leased WHERE was_state = 1)"
    " SELECT " CHATHOOKS_PG_MESSAGE_COLUMNS
    ", lease_token FROM leased ORDER BY next_attempt_at_ms, seq";

// $1 id, $2 token, $3 state, $4 next attempt (NULL keeps it), $5 last error, $6 dead reason,
// $7..$11 the attempt. The lease check is in the WHERE clause: no row, no log.
constexpr const char* kSettleSql =
    "WITH settled AS ("
    " UPDATE @.outbox_messages SET state = $3, attempts = attempts + 1,"
    " next_attempt_at_ms = COALESCE($4, next_attempt_at_ms), last_error = $5,"
    " dead_reason = $6, lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = $1 AND state = 1 AND lease_token = $2 RETURNING id)"
    " INSERT INTO @.outbox_attempts (message_id, number, started_at_ms, duration_ms, status,"
    " error) SELECT id, $7, $8, $9, $10, $11 FROM settled RETURNING message_id";

constexpr const char* kReleaseSql =
    "UPDATE @.outbox_messages SET state = 0, lease_token = NULL, lease_until_ms = NULL"
    " WHERE id = $1 AND state = 1 AND lease_token = $2 RETURNING id";

constexpr const char* kDeferSql =
    "UPDATE @.outbox_messages SET state = 0, lease_token = NULL, lease_until_ms = NULL,"
    " next_attempt_at_ms = $3 WHERE id = $1 AND state = 1 AND lease_token = $2 RETURNING id";

constexpr const char* kCountsSql = "SELECT state, count(*) FROM @.outbox_messages GROUP BY state";

constexpr const char* kNextDueSql =
    "SELECT min(next_attempt_at_ms) FROM @.outbox_messages WHERE state = 0";

constexpr const char* kRetryDeadSql =
    "WITH revived AS (UPDATE @.outbox_messages SET state = 0, attempts = 0,"
    " next_attempt_at_ms = $1, dead_reason = '' WHERE state = 3 RETURNING 1)"
    " SELECT count(*) FROM revived";

constexpr const char* kPurgeSql =
    "WITH gone AS (DELETE FROM @.outbox_messages WHERE state = $1 RETURNING id),"
    " logs AS (DELETE FROM @.outbox_attempts a USING gone WHERE a.message_id = gone.id)"
    " SELECT count(*) FROM gone";

constexpr const char* kFindSql =
    "SELECT " CHATHOOKS_PG_MESSAGE_COLUMNS " FROM @.outbox_messages WHERE id = $1";

constexpr const char* kAttemptsSql =
    "SELECT number, started_at_ms, duration_ms, status, error FROM @.outbox_attempts"
    " WHERE message_id = $1 ORDER BY seq";

// $1 id, $2 its lease token, $3 why: a leased row that cannot be read back is given up.
constexpr const char* kMarkDamagedSql =
    "UPDATE @.outbox_messages SET state = 3, dead_reason = $3, last_error = $3,"
    " lease_token = NULL, lease_until_ms = NULL WHERE id = $1 AND lease_token = $2";

#undef CHATHOOKS_PG_MESSAGE_COLUMNS

// PostgreSQL text holds UTF-8 without NUL.
bool storable_text(std::string_view text) {
  return text.find('\0') == std::string_view::npos &&
         chathooks::detail::find_invalid_utf8(text) == std::string_view::npos;
}

// Diagnostics (errors, reasons) are kept even when they hold bytes text cannot: each such byte
// becomes U+FFFD.
std::string storable_diagnostic(std::string_view text) {
  if (storable_text(text)) return std::string(text);
  std::string out;
  while (!text.empty()) {
    std::size_t bad = chathooks::detail::find_invalid_utf8(text);
    const std::size_t nul = text.find('\0');
    bad = std::min(bad, nul);
    if (bad == std::string_view::npos) {
      out.append(text);
      break;
    }
    out.append(text.substr(0, bad));
    out.append("\xEF\xBF\xBD");
    text.remove_prefix(bad + 1);
  }
  return out;
}

Result<void> check_text(const StoredMessage& message) {
  const std::pair<std::string_view, std::string_view> fields[] = {
      {"id", message.id},
      {"kind", message.kind},
      {"method", message.request.method},
      {"URL", message.request.url}};
  for (const auto& [what, text] : fields) {
    if (!storable_text(text)) {
      return Error(Errc::invalid_argument, "outbox enqueue: the " + std::string(what) +
                                               " of a message is not UTF-8 without NUL bytes,"
                                               " which PostgreSQL text requires");
    }
  }
  return {};
}

// The INSERT's parameters, in kInsertSql's order.
PgParams insert_params(const StoredMessage& message, const std::string& headers) {
  PgParams params;
  params.text(message.id)
      .text(message.kind)
      .text(message.request.method)
      .text(message.request.url)
      .bytea(headers)
      .bytea(message.request.body)
      .int8(message.request.timeout.count())
      .int8(message.attempts)
      .int8(to_ms(message.created_at))
      .int8(to_ms(message.next_attempt_at))
      .text(storable_diagnostic(message.last_error));
  return params;
}

// ---------------------------------------------------------------------------------------------
// The store.

class PostgresStore final : public OutboxStore {
 public:
  PostgresStore(std::unique_ptr<PgPool> pool, std::string label)
      : pool_(std::move(pool)), label_(std::move(label)) {}

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
  Error corrupt(std::string_view operation, const std::string& what) const {
    return Error(Errc::storage, label_ + ": " + std::string(operation) + ": " + what);
  }
  Result<std::int64_t> integer(const PgRows& rows, int row, int column,
                               std::string_view operation) const {
    if (rows.is_null(row, column)) return corrupt(operation, "an unexpected NULL");
    const auto value = rows.integer(row, column);
    if (!value) return corrupt(operation, "an integer of an unexpected width");
    return *value;
  }
  Result<StoredMessage> read_message(const PgRows& rows, int row, std::string_view operation) const;
  Result<std::uint64_t> count_result(Result<PgRows> rows, std::string_view operation) const;

  std::unique_ptr<PgPool> pool_;
  std::string label_;
};

Result<StoredMessage> PostgresStore::read_message(const PgRows& rows, int row,
                                                  std::string_view operation) const {
  StoredMessage message;
  message.id = rows.bytes(row, 0);
  message.kind = rows.bytes(row, 1);
  message.request.method = rows.bytes(row, 2);
  message.request.url = rows.bytes(row, 3);
  auto headers = decode_headers(rows.bytes(row, 4));
  if (!headers) return corrupt(operation, "the stored headers of " + message.id + " are corrupt");
  message.request.headers = std::move(*headers);
  message.request.body = rows.bytes(row, 5);
  // timeout_ms, state, attempts, created_at_ms, next_attempt_at_ms.
  std::int64_t numbers[5] = {};
  for (int i = 0; i < 5; ++i) {
    auto value = integer(rows, row, 6 + i, operation);
    if (!value) return std::move(value).error();
    numbers[i] = *value;
  }
  message.request.timeout = milliseconds(numbers[0]);
  const auto state = state_from_code(numbers[1]);
  if (!state) return corrupt(operation, "message " + message.id + " has an unknown state");
  message.state = *state;
  message.attempts =
      static_cast<int>(std::clamp<std::int64_t>(numbers[2], 0, std::numeric_limits<int>::max()));
  message.created_at = from_ms(numbers[3]);
  message.next_attempt_at = from_ms(numbers[4]);
  message.last_error = rows.bytes(row, 11);
  message.dead_reason = rows.bytes(row, 12);
  return message;
}

Result<void> PostgresStore::enqueue(const StoredMessage& message) {
  auto headers = check_for_enqueue(message);
  if (!headers) return std::move(headers).error();
  if (auto text = check_text(message); !text) return text;
  std::string sqlstate;
  auto inserted = pool_->run("enqueue", kInsert, insert_params(message, *headers), &sqlstate);
  if (!inserted) {
    if (sqlstate == "23505") {
      return Error(Errc::duplicate,
                   "outbox enqueue: a message with id " + message.id + " is already stored");
    }
    return std::move(inserted).error();
  }
  return {};
}

Result<std::vector<Lease>> PostgresStore::lease(std::size_t max, Clock::time_point now,
                                                milliseconds lease_for) {
  if (auto checked = check_lease_for(lease_for); !checked) return checked.error();
  std::vector<Lease> leases;
  if (max == 0) return leases;
  auto token = new_lease_token();
  if (!token) return Error(Errc::storage, "outbox lease: no random bytes for a lease token");
  const std::int64_t now_ms = to_ms(now);
  const std::int64_t until_ms = saturating_add(now_ms, lease_for.count());
  const auto limit = static_cast<std::int64_t>(std::min<std::size_t>(
      max, static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())));
  PgParams params;
  params.int8(now_ms).int8(limit).text(*token).int8(until_ms).text(kLeaseExpiredError);
  auto rows = pool_->run("lease", kLease, params);
  if (!rows) return std::move(rows).error();
  leases.reserve(static_cast<std::size_t>(rows->size()));
  for (int row = 0; row < rows->size(); ++row) {
    auto message = read_message(*rows, row, "lease");
    if (!message) {
      // Leased already (the statement has committed): give it up, saying why, rather than
      // fail the batch, whose other messages would then wait for their leases to expire, and
      // meet the same row again. If even that fails, its lease expires like any other.
      PgParams damaged;
      damaged.text(rows->bytes(row, 0))
          .text(rows->bytes(row, 13))
          .text(storable_diagnostic("unreadable: " + message.error().message()));
      (void)pool_->run("lease", kMarkDamaged, damaged);
      continue;
    }
    leases.push_back(Lease{std::move(*message), rows->bytes(row, 13), from_ms(until_ms)});
  }
  return leases;
}

// kSettleSql's parameters.
PgParams settle_params(const Lease& lease, const AttemptLog& attempt,
                       const Settlement& settlement) {
  PgParams params;
  params.text(lease.message.id).text(lease.token);
  switch (settlement.kind) {
    case Settlement::Kind::delivered:
      params.int8(kDelivered).int8_or_null(std::nullopt);
      break;
    case Settlement::Kind::retry:
      params.int8(kPending).int8_or_null(to_ms(settlement.next_attempt_at));
      break;
    case Settlement::Kind::dead:
      params.int8(kDead).int8_or_null(std::nullopt);
      break;
  }
  const std::string reason = storable_diagnostic(settlement.reason);
  params.text(reason).text(settlement.kind == Settlement::Kind::dead ? reason : std::string());
  params.int8(attempt.number)
      .int8(to_ms(attempt.started_at))
      .int8(attempt.duration.count())
      .int8(attempt.status)
      .text(storable_diagnostic(attempt.error));
  return params;
}

Result<void> PostgresStore::settle(const Lease& lease, const AttemptLog& attempt,
                                   const Settlement& settlement) {
  auto rows = pool_->run("settle", kSettle, settle_params(lease, attempt, settlement));
  if (!rows) return std::move(rows).error();
  if (rows->size() == 0) {
    return Error(Errc::lease_lost,
                 "outbox settle: the lease on " + lease.message.id + " is no longer held");
  }
  return {};
}

// One transaction for the whole batch: one commit (one WAL flush with synchronous_commit on).
Result<std::vector<bool>> PostgresStore::settle_all(const std::vector<SettleItem>& items) {
  if (auto checked = check_settle_items(items); !checked) return checked.error();
  std::vector<PgParams> each;
  each.reserve(items.size());
  for (const SettleItem& item : items) {
    each.push_back(settle_params(*item.lease, item.attempt, item.settlement));
  }
  std::vector<bool> settled;
  settled.reserve(items.size());
  if (items.empty()) return settled;
  auto results = pool_->run_all("settle", kSettle, each);
  if (!results) return std::move(results).error();
  for (const PgRows& rows : *results) settled.push_back(rows.size() != 0);
  return settled;
}

Result<void> PostgresStore::release(const Lease& lease) {
  PgParams params;
  params.text(lease.message.id).text(lease.token);
  auto rows = pool_->run("release", kRelease, params);
  if (!rows) return std::move(rows).error();
  if (rows->size() == 0) {
    return Error(Errc::lease_lost,
                 "outbox release: the lease on " + lease.message.id + " is no longer held");
  }
  return {};
}

Result<void> PostgresStore::defer(const Lease& lease, Clock::time_point due) {
  PgParams params;
  params.text(lease.message.id).text(lease.token).int8(to_ms(due));
  auto rows = pool_->run("defer", kDefer, params);
  if (!rows) return std::move(rows).error();
  if (rows->size() == 0) {
    return Error(Errc::lease_lost,
                 "outbox defer: the lease on " + lease.message.id + " is no longer held");
  }
  return {};
}

Result<Counts> PostgresStore::counts() {
  auto rows = pool_->run("counts", kCounts, PgParams());
  if (!rows) return std::move(rows).error();
  Counts counts;
  for (int row = 0; row < rows->size(); ++row) {
    auto code = integer(*rows, row, 0, "counts");
    if (!code) return std::move(code).error();
    auto count = integer(*rows, row, 1, "counts");
    if (!count) return std::move(count).error();
    const auto state = state_from_code(*code);
    if (!state) return corrupt("counts", "a message has an unknown state");
    const auto n = static_cast<std::uint64_t>(*count);
    set_count(counts, *state, n);
  }
  return counts;
}

Result<std::optional<Clock::time_point>> PostgresStore::next_due() {
  auto rows = pool_->run("next_due", kNextDue, PgParams());
  if (!rows) return std::move(rows).error();
  std::optional<Clock::time_point> due;
  if (rows->size() == 1 && !rows->is_null(0, 0)) {
    auto ms = integer(*rows, 0, 0, "next_due");
    if (!ms) return std::move(ms).error();
    due = from_ms(*ms);
  }
  return due;
}

Result<std::uint64_t> PostgresStore::count_result(Result<PgRows> rows,
                                                  std::string_view operation) const {
  if (!rows) return std::move(rows).error();
  if (rows->size() != 1) return corrupt(operation, "no count came back");
  auto count = integer(*rows, 0, 0, operation);
  if (!count) return std::move(count).error();
  return static_cast<std::uint64_t>(*count);
}

Result<std::uint64_t> PostgresStore::retry_dead(Clock::time_point now) {
  PgParams params;
  params.int8(to_ms(now));
  return count_result(pool_->run("retry_dead", kRetryDead, params), "retry_dead");
}

Result<std::uint64_t> PostgresStore::purge(MessageState state) {
  if (auto checked = check_purgeable(state); !checked) return checked.error();
  PgParams params;
  params.int8(state_code(state));
  return count_result(pool_->run("purge", kPurge, params), "purge");
}

Result<std::optional<StoredMessage>> PostgresStore::find(std::string_view id) {
  // An id PostgreSQL text cannot hold was never stored.
  if (!storable_text(id)) return std::optional<StoredMessage>();
  PgParams params;
  params.text(id);
  auto rows = pool_->run("find", kFind, params);
  if (!rows) return std::move(rows).error();
  if (rows->size() == 0) return std::optional<StoredMessage>();
  auto message = read_message(*rows, 0, "find");
  if (!message) return std::move(message).error();
  return std::optional<StoredMessage>(std::move(*message));
}

Result<std::vector<AttemptLog>> PostgresStore::attempts(std::string_view id) {
  std::vector<AttemptLog> logs;
  if (!storable_text(id)) return logs;
  PgParams params;
  params.text(id);
  auto rows = pool_->run("attempts", kAttempts, params);
  if (!rows) return std::move(rows).error();
  for (int row = 0; row < rows->size(); ++row) {
    std::int64_t numbers[4] = {};
    for (int i = 0; i < 4; ++i) {
      auto value = integer(*rows, row, i, "attempts");
      if (!value) return std::move(value).error();
      numbers[i] = *value;
    }
    AttemptLog log;
    log.number = static_cast<int>(numbers[0]);
    log.started_at = from_ms(numbers[1]);
    log.duration = milliseconds(numbers[2]);
    log.status = static_cast<int>(numbers[3]);
    log.error = rows->bytes(row, 4);
    logs.push_back(std::move(log));
  }
  return logs;
}

Result<void> PostgresStore::save_endpoint(const EndpointRecord& record) {
  if (auto checked = detail::check_endpoint_record(record); !checked) return checked.error();
  if (!storable_text(record.endpoint)) {
    return Error(Errc::invalid_argument, "an endpoint must be UTF-8 text without NUL");
  }
  PgParams params;
  params.text(record.endpoint)
      .int8(detail::endpoint_state_code(record.state))
      .int8(record.consecutive_failures)
      .int8(to_ms(record.paused_until))
      .int8(record.pause.count())
      .int8(to_ms(record.updated_at));
  auto rows = pool_->run("save_endpoint", kSaveEndpoint, params);
  if (!rows) return std::move(rows).error();
  return {};
}

Result<std::vector<EndpointRecord>> PostgresStore::endpoint_records() {
  auto rows = pool_->run("endpoint_records", kEndpointRecords, PgParams());
  if (!rows) return std::move(rows).error();
  std::vector<EndpointRecord> records;
  for (int row = 0; row < rows->size(); ++row) {
    std::int64_t numbers[5] = {};
    for (int i = 0; i < 5; ++i) {
      auto value = integer(*rows, row, i + 1, "endpoint_records");
      if (!value) return std::move(value).error();
      numbers[i] = *value;
    }
    const auto state = detail::endpoint_state_from_code(numbers[0]);
    if (!state) return corrupt("endpoint_records", "an endpoint has an unknown state");
    EndpointRecord record;
    record.endpoint = rows->bytes(row, 0);
    record.state = *state;
    record.consecutive_failures = static_cast<int>(numbers[1]);
    record.paused_until = from_ms(numbers[2]);
    record.pause = milliseconds(numbers[3]);
    record.updated_at = from_ms(numbers[4]);
    records.push_back(std::move(record));
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// Opening.

}  // namespace

Result<std::shared_ptr<OutboxStore>> open_postgres_store(const std::string& uri,
                                                         PostgresStoreOptions options) {
  if (uri.empty()) return Error(Errc::invalid_argument, "outbox: the PostgreSQL URI is empty");
  if (!valid_schema_name(options.schema)) {
    return Error(Errc::invalid_argument,
                 "outbox: the schema name \"" + options.schema +
                     "\" is not lower-case letters, digits and '_' (at most 63, not starting"
                     " with a digit or pg_)");
  }
  if (options.connections == 0) {
    return Error(Errc::invalid_argument, "outbox: a PostgreSQL store needs a connection or more");
  }
  std::string parse_error;
  const auto label = describe(uri, "outbox", options.schema, parse_error);
  if (!label) {
    return Error(Errc::invalid_argument, "outbox: not a PostgreSQL URI: " + parse_error);
  }
  // In enum Statement's order.
  const char* const sql[kStatementCount] = {
      kInsertSql,      kLeaseSql,     kSettleSql,       kReleaseSql,        kCountsSql,
      kNextDueSql,     kRetryDeadSql, kPurgeSql,        kFindSql,           kAttemptsSql,
      kMarkDamagedSql, kDeferSql,     kSaveEndpointSql, kEndpointRecordsSql};
  std::vector<std::string> statements;
  statements.reserve(kStatementCount);
  for (const char* text : sql) statements.push_back(in_schema(text, options.schema));
  const auto timeout = std::max(options.connect_timeout, std::chrono::seconds(2));
  const auto statement_timeout = std::max(options.statement_timeout, milliseconds(1));
  auto pool = std::make_unique<PgPool>(uri, timeout, statement_timeout, options.connections, *label,
                                       std::move(statements));
  const detail::PgSchemaTables tables{
      "an outbox",    "outbox_schema", {"outbox_messages", "outbox_attempts"},
      kSchemaVersion, kSchemaSql,      kEndpointsSql};
  if (auto schema = detail::prepare_schema_tables(*pool, options.schema, tables); !schema) {
    return schema.error();
  }
  return std::shared_ptr<OutboxStore>(std::make_shared<PostgresStore>(std::move(pool), *label));
}

Result<PostgresStatement> postgres_insert(const StoredMessage& message, const std::string& schema) {
  if (!valid_schema_name(schema)) {
    return Error(Errc::invalid_argument, "outbox: the schema name \"" + schema +
                                             "\" is not lower-case letters, digits and '_'");
  }
  auto headers = check_for_enqueue(message);
  if (!headers) return std::move(headers).error();
  if (auto text = check_text(message); !text) return text.error();
  const PgParams params = insert_params(message, *headers);
  PostgresStatement statement;
  statement.sql = in_schema(kInsertSql, schema);
  for (const auto& value : params.values()) statement.values.push_back(value.value_or(""));
  statement.types.assign(params.types().begin(), params.types().end());
  return statement;
}

}  // namespace chathooks::outbox
