// The PostgreSQL idempotency store (chathooks/receiver/postgres_idempotency_store.hpp): one
// table, idempotency_keys, and its version table, idempotency_schema, in a schema it may share
// with the outbox (created in either order, under the same advisory lock). Keys, digests and
// answers are bytea (a webhook-id may hold any bytes), sent and read in binary.
//
// Every call is one statement. A claim inserts the key, or takes over an expired row, with
// INSERT ... ON CONFLICT DO UPDATE ... WHERE expired: of concurrent claims of one key exactly
// one gets a row back (the others wait on the row's lock, then see it live). A claim that gets
// none reads the live row; should it vanish meanwhile (released, expired), the claim tries
// again. Expiry is the server's clock (clock_timestamp()), so receivers' clocks need not agree.
//
// Thread-safety: see PgPool (outbox/postgres_pool.hpp); the store holds no other mutable state
// than an atomic counter of claims.
#include "chathooks/receiver/postgres_idempotency_store.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "outbox/postgres_pool.hpp"
#include "receiver/claim_token.hpp"

namespace chathooks::receiver {
namespace {

using outbox::detail::PgParams;
using outbox::detail::PgPool;
using outbox::detail::PgRows;

// The layout this code reads and writes, kept in <schema>.idempotency_schema.
constexpr int kSchemaVersion = 1;

// "@" stands for the quoted schema name in every statement below.
constexpr const char* kSchemaSql = R"sql(
CREATE SCHEMA IF NOT EXISTS @;
CREATE TABLE @.idempotency_schema (version integer NOT NULL);
INSERT INTO @.idempotency_schema (version) VALUES (1);
CREATE TABLE @.idempotency_keys (
  key bytea PRIMARY KEY,
  digest bytea NOT NULL,
  completed boolean NOT NULL,
  status integer NOT NULL,
  content_type bytea NOT NULL,
  body bytea NOT NULL,
  expires_at timestamptz NOT NULL,
  token bytea NOT NULL
);
CREATE INDEX idempotency_keys_expiry ON @.idempotency_keys (expires_at);
)sql";

// The statements the pool prepares, by index.
enum Statement : std::size_t { kClaim, kFind, kComplete, kRelease, kCleanup, kStatementCount };

// $1 key, $2 digest, $3 ttl in seconds, $4 the claim's token. A row back: claimed.
constexpr const char* kClaimSql =
    "INSERT INTO @.idempotency_keys AS k"
    " (key, digest, completed, status, content_type, body, expires_at, token)"
    " VALUES ($1, $2, false, 0, '', '', clock_timestamp() + $3 * interval '1 second', $4)"
    " ON CONFLICT (key) DO UPDATE SET digest = excluded.digest, completed = false, status = 0,"
    " content_type = '', body = '', expires_at = excluded.expires_at, token = excluded.token"
    " WHERE k.expires_at <= clock_timestamp() RETURNING 1";

constexpr const char* kFindSql =
    "SELECT digest, completed, status, content_type, body FROM @.idempotency_keys"
    " WHERE key = $1 AND expires_at > clock_timestamp()";

// $1 key, $2 digest, $3 status, $4 content type, $5 body, $6 ttl in seconds.
constexpr const char* kCompleteSql =
    "INSERT INTO @.idempotency_keys AS k"
    " (key, digest, completed, status, content_type, body, expires_at, token)"
    " VALUES ($1, $2, true, $3, $4, $5, clock_timestamp() + $6 * interval '1 second', '')"
    " ON CONFLICT (key) DO UPDATE SET digest = excluded.digest, completed = true,"
    " status = excluded.status, content_type = excluded.content_type, body = excluded.body,"
    " expires_at = excluded.expires_at, token = ''";

// $1 key, $2 the claim's token.
constexpr const char* kReleaseSql =
    "DELETE FROM @.idempotency_keys WHERE key = $1 AND NOT completed AND token = $2";

// A bounded batch of expired keys; rows another session holds are skipped, not waited for.
constexpr const char* kCleanupSql =
    "DELETE FROM @.idempotency_keys WHERE key IN (SELECT key FROM @.idempotency_keys"
    " WHERE expires_at <= clock_timestamp() LIMIT 100 FOR UPDATE SKIP LOCKED)";

// One claim in this many also deletes expired keys.
constexpr std::uint64_t kCleanupEvery = 64;

// How often a claim tries again when the row it lost to vanished before it could read it.
constexpr int kClaimTries = 5;

// The ttl in whole seconds, from 0 (expired at once) to 100 years (beyond, timestamps could
// overflow on the server).
std::int64_t ttl_seconds(std::chrono::seconds ttl) {
  constexpr std::int64_t kMax = 100LL * 366 * 24 * 3600;
  return std::clamp<std::int64_t>(ttl.count(), 0, kMax);
}

class PostgresIdempotencyStore final : public IdempotencyStore {
 public:
  explicit PostgresIdempotencyStore(std::unique_ptr<PgPool> pool) : pool_(std::move(pool)) {}

  Result<Claim> claim(const std::string& key, const std::string& digest,
                      std::chrono::seconds ttl) override;
  Result<void> complete(const std::string& key, const std::string& digest, const StoredReply& reply,
                        std::chrono::seconds ttl) override;
  Result<void> release(const std::string& key, const std::string& token) override;

 private:
  Error damaged(std::string_view what) const {
    return Error(Errc::storage, pool_->label() + ": claim: " + std::string(what));
  }

  std::unique_ptr<PgPool> pool_;
  std::atomic<std::uint64_t> claims_{0};
};

Result<Claim> PostgresIdempotencyStore::claim(const std::string& key, const std::string& digest,
                                              std::chrono::seconds ttl) {
  auto token = detail::random_claim_token();
  if (!token) return std::move(token).error();
  PgParams insert;
  insert.bytea(key).bytea(digest).int8(ttl_seconds(ttl)).bytea(*token);
  PgParams find;
  find.bytea(key);
  for (int attempt = 0; attempt < kClaimTries; ++attempt) {
    auto inserted = pool_->run("claim", kClaim, insert);
    if (!inserted) return std::move(inserted).error();
    if (inserted->size() == 1) {
      if (claims_.fetch_add(1, std::memory_order_relaxed) % kCleanupEvery == kCleanupEvery - 1) {
        // Best effort: the claim stands whatever happens to the cleanup.
        (void)pool_->run("deleting expired keys", kCleanup, PgParams());
      }
      Claim claimed;
      claimed.token = std::move(*token);
      return claimed;
    }
    auto rows = pool_->run("claim", kFind, find);
    if (!rows) return std::move(rows).error();
    if (rows->size() == 0) continue;  // released or expired in between: try again
    const std::string recorded = rows->bytes(0, 0);
    if (!recorded.empty() && !digest.empty() && recorded != digest) {
      return Claim{ClaimState::conflict, std::nullopt, {}};
    }
    if (rows->bytes(0, 1) != std::string(1, '\1')) {
      return Claim{ClaimState::in_progress, std::nullopt, {}};
    }
    const auto status = rows->integer(0, 2);
    if (!status) return damaged("a stored status is not an integer");
    StoredReply reply;
    reply.status = static_cast<int>(*status);
    reply.content_type = rows->bytes(0, 3);
    reply.body = rows->bytes(0, 4);
    return Claim{ClaimState::completed, std::move(reply), {}};
  }
  return damaged("the key kept changing under concurrent claims and releases");
}

Result<void> PostgresIdempotencyStore::complete(const std::string& key, const std::string& digest,
                                                const StoredReply& reply,
                                                std::chrono::seconds ttl) {
  PgParams params;
  params.bytea(key)
      .bytea(digest)
      .int8(reply.status)
      .bytea(reply.content_type)
      .bytea(reply.body)
      .int8(ttl_seconds(ttl));
  auto done = pool_->run("complete", kComplete, params);
  if (!done) return std::move(done).error();
  return {};
}

Result<void> PostgresIdempotencyStore::release(const std::string& key, const std::string& token) {
  PgParams params;
  params.bytea(key).bytea(token);
  auto done = pool_->run("release", kRelease, params);
  if (!done) return std::move(done).error();
  return {};
}

}  // namespace

Result<std::shared_ptr<IdempotencyStore>> open_postgres_idempotency_store(
    const std::string& uri, PostgresIdempotencyStoreOptions options) {
  using outbox::detail::in_schema;
  if (uri.empty()) {
    return Error(Errc::invalid_argument, "idempotency store: the PostgreSQL URI is empty");
  }
  if (!outbox::detail::valid_schema_name(options.schema)) {
    return Error(Errc::invalid_argument,
                 "idempotency store: the schema name \"" + options.schema +
                     "\" is not lower-case letters, digits and '_' (at most 63, not starting"
                     " with a digit or pg_)");
  }
  if (options.connections == 0) {
    return Error(Errc::invalid_argument,
                 "idempotency store: a PostgreSQL store needs a connection or more");
  }
  std::string parse_error;
  const auto label =
      outbox::detail::describe(uri, "idempotency store", options.schema, parse_error);
  if (!label) {
    return Error(Errc::invalid_argument, "idempotency store: not a PostgreSQL URI: " + parse_error);
  }
  // In enum Statement's order.
  const char* const sql[kStatementCount] = {kClaimSql, kFindSql, kCompleteSql, kReleaseSql,
                                            kCleanupSql};
  std::vector<std::string> statements;
  statements.reserve(kStatementCount);
  for (const char* text : sql) statements.push_back(in_schema(text, options.schema));
  const auto timeout = std::max(options.connect_timeout, std::chrono::seconds(2));
  const auto statement_timeout = std::max(options.statement_timeout, std::chrono::milliseconds(1));
  auto pool = std::make_unique<PgPool>(uri, timeout, statement_timeout, options.connections, *label,
                                       std::move(statements));
  const outbox::detail::PgSchemaTables tables{
      "an idempotency store", "idempotency_schema", {"idempotency_keys"},
      kSchemaVersion,         kSchemaSql,           {}};
  if (auto schema = outbox::detail::prepare_schema_tables(*pool, options.schema, tables); !schema) {
    return schema.error();
  }
  return std::shared_ptr<IdempotencyStore>(
      std::make_shared<PostgresIdempotencyStore>(std::move(pool)));
}

}  // namespace chathooks::receiver
