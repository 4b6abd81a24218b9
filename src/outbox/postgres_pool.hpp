// libpq for the PostgreSQL stores (the outbox, the idempotency store): a pool of connections that
// runs prepared statements with binary parameters and binary results, and reports failures as
// Errc::storage. Private.
//
// Thread-safety: a Pool may be used from any number of threads at once: each call borrows one
// connection (waiting for one when all `max` are busy) and gives it back, so a libpq connection
// is only ever used by one thread at a time. A connection whose link broke is closed, not given
// back; the next call that needs one opens a new one. An idle connection is checked before it
// is reused (the server may have closed it meanwhile: a restart, idle_session_timeout, a proxy),
// so such a loss costs no failed call.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/error.hpp"

namespace chathooks::outbox::detail {

// Type OIDs of the parameters (pg_type.h, stable across PostgreSQL versions).
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kByteaOid = 17;

/// Whether `name` may name a store's schema: lower-case letters, digits and '_', at most 63,
/// not starting with a digit or "pg_" (so it needs no escaping inside double quotes).
bool valid_schema_name(std::string_view name);

/// `sql` with every "@" replaced by the quoted `schema` (a checked name: nothing to escape).
std::string in_schema(std::string_view sql, const std::string& schema);

/// "<what> postgresql (host=..., dbname=..., schema=...)", which starts a store's error
/// messages: says which database without the password a URI may hold. nullopt with `error`
/// set (without the URI either) when libpq cannot parse `uri`.
std::optional<std::string> describe(const std::string& uri, std::string_view what,
                                    const std::string& schema, std::string& error);

/// The advisory lock, taken for the transaction, under which every store creates or checks its
/// tables in `schema`: one lock for every store kind, so that CREATE SCHEMA runs alone.
std::string schema_lock_sql(const std::string& schema);

/// Parameters in PostgreSQL's binary format.
class PgParams {
 public:
  /// A bigint.
  PgParams& int8(std::int64_t value);
  /// A bigint, or NULL.
  PgParams& int8_or_null(std::optional<std::int64_t> value);
  /// A text value, sent as is (the caller makes sure it is UTF-8 without NUL).
  PgParams& text(std::string_view value);
  /// A bytea value, byte for byte.
  PgParams& bytea(std::string_view value);

  std::size_t size() const noexcept { return values_.size(); }
  const std::vector<std::optional<std::string>>& values() const noexcept { return values_; }
  const std::vector<Oid>& types() const noexcept { return types_; }

 private:
  std::vector<std::optional<std::string>> values_;
  std::vector<Oid> types_;
};

/// A result in binary format. Columns are read by position.
class PgRows {
 public:
  explicit PgRows(PGresult* result) noexcept : result_(result) {}

  int size() const noexcept { return PQntuples(result_.get()); }
  /// The libpq result, still owned by this object.
  const PGresult* raw() const noexcept { return result_.get(); }
  bool is_null(int row, int column) const noexcept {
    return PQgetisnull(result_.get(), row, column) != 0;
  }
  /// A text or bytea column's bytes.
  std::string bytes(int row, int column) const;
  /// A smallint, integer or bigint column; nullopt for another width (a damaged row).
  std::optional<std::int64_t> integer(int row, int column) const noexcept;

 private:
  struct Clear {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
  };
  std::unique_ptr<PGresult, Clear> result_;
};

/// A pool of connections to one database, and the statements it prepares on each.
class PgPool {
 public:
  /// `conninfo`: a libpq URI or key=value string; `label` starts every error message;
  /// `statements`: the SQL texts run() refers to by index.
  PgPool(std::string conninfo, std::chrono::seconds connect_timeout,
         std::chrono::milliseconds statement_timeout, std::size_t max, std::string label,
         std::vector<std::string> statements);
  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  /// Runs statement `index` with `params` (prepared on first use on each connection).
  /// Errc::storage when it fails, with the SQLSTATE in `sqlstate` when given.
  Result<PgRows> run(std::string_view operation, std::size_t index, const PgParams& params,
                     std::string* sqlstate = nullptr);

  /// Runs statement `index` once per element of `each`, in order, in one transaction (one
  /// commit): all take effect or none. The results in order.
  Result<std::vector<PgRows>> run_all(std::string_view operation, std::size_t index,
                                      const std::vector<PgParams>& each);

  /// A borrowed connection (opaque to callers, but for its libpq handle: raw()).
  struct Connection;
  /// The libpq handle of `connection`, for in_transaction() bodies.
  static PGconn* raw(Connection& connection) noexcept;

  /// Runs `body` on one connection inside BEGIN ... COMMIT: committed when it returns
  /// success, rolled back otherwise.
  Result<void> in_transaction(std::string_view operation,
                              const std::function<Result<void>(Connection&)>& body);

  /// Runs `sql` (no parameters, results in text format) on `connection`, for in_transaction()
  /// bodies that create or check tables. Errc::storage, naming `step`, unless it succeeded.
  Result<PgRows> simple(Connection& connection, std::string_view step, const std::string& sql);

  /// Errc::storage for `operation`: the label, the operation and the server's or libpq's
  /// words (from `result` when given, else from the connection).
  Error failure(std::string_view operation, const PGconn* conn,
                const PGresult* result = nullptr) const;

  /// What starts every error message.
  const std::string& label() const noexcept { return label_; }

 private:
  class Borrowed;
  Result<PgRows> exec(Connection& connection, std::string_view operation, std::size_t index,
                      const PgParams& params, std::string* sqlstate);
  Result<Borrowed> borrow(std::string_view operation);
  void give_back(std::unique_ptr<Connection> connection) noexcept;
  Result<std::unique_ptr<Connection>> connect(std::string_view operation) const;

  const std::string conninfo_;
  const std::string connect_timeout_;
  const std::string session_settings_;
  const std::size_t max_;
  const std::string label_;
  const std::vector<std::string> statements_;

  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_ = 0;  // idle ones, borrowed ones and ones being opened
};

/// The tables of one kind of store in a schema, and their version.
struct PgSchemaTables {
  std::string kind;                 ///< "an outbox": in "not an outbox: ..."
  std::string version_table;        ///< holds one row, the version
  std::vector<std::string> tables;  ///< the others
  int version = 1;                  ///< the version this code reads and writes
  std::string create_sql;           ///< creates the schema when missing, then every table
  /// Tables added later without a version change (CREATE TABLE IF NOT EXISTS ...), run once
  /// the schema is accepted or created; empty: none.
  std::string added_sql;
};

/// Under the schema's advisory lock, in one transaction: creates `tables` in `schema` when none
/// of them is there, accepts them when they are at `tables.version`, and refuses (Errc::storage,
/// starting with the pool's label) tables without their version table, another version, or
/// missing ones. Tables of other kinds in the schema are left alone.
Result<void> prepare_schema_tables(PgPool& pool, const std::string& schema,
                                   const PgSchemaTables& tables);

}  // namespace chathooks::outbox::detail
