// The PostgreSQL outbox store: for a fleet. Several worker processes on several machines share
// one database; a lease takes due rows with FOR UPDATE SKIP LOCKED, so a message is in flight
// in one worker at a time while its lease holds, and workers never wait for each other's rows.
// A message is stored once enqueue() has returned (its INSERT committed). The tables live in a
// schema of their own (default "chathooks"), so the outbox can share the application's database,
// and an application can then enqueue inside its own transaction (the transactional outbox):
// postgres_insert() gives the statement to run on its own connection.
// Thread-safety: the store is safe to use from several threads at once; it keeps a small pool
// of connections (PostgresStoreOptions::connections), so that many threads do not queue behind
// one.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/outbox/store.hpp"

namespace chathooks::outbox {

/// Options of open_postgres_store().
struct PostgresStoreOptions {
  /// The PostgreSQL schema that holds the outbox's tables (outbox_messages, outbox_attempts,
  /// outbox_schema), created when missing. Lower-case letters, digits and '_', not starting
  /// with a digit or "pg_", at most 63 characters.
  std::string schema = "chathooks";
  /// Most connections the store opens (each on first need); a call waits for a free one.
  std::size_t connections = 4;
  /// How long opening a connection may take before failing with Errc::storage (libpq's
  /// connect_timeout, whole seconds, at least 2); a connect_timeout in the URI wins.
  std::chrono::seconds connect_timeout{10};
  /// The longest a statement may run, waits for another session's row locks included, before
  /// failing with Errc::storage (the session's statement_timeout); keep it below the workers'
  /// lease. At least 1 ms.
  std::chrono::milliseconds statement_timeout{std::chrono::seconds(30)};
};

/// Opens the outbox in the PostgreSQL database that `uri` names (a libpq connection string:
/// `postgresql://user:password@host:port/dbname?sslmode=require`, or `key=value` pairs), creating
/// its schema and tables on first use. Errc::storage when the server cannot be reached, refuses
/// the login, or holds tables of an incompatible outbox schema version; Errc::invalid_argument
/// for an empty URI, a bad schema name or zero connections.
/// A statement that fails because its connection broke returns Errc::storage; the next call
/// opens a new connection (an idle connection the server closed is noticed before it is used,
/// so a server restart costs no failed call once it is back). The store prepares its
/// statements on each connection: behind PgBouncer, use session pooling (or PgBouncer 1.21 or
/// later with max_prepared_statements).
/// A stored message that cannot be read back (damaged by hand) is not handed out: lease()
/// makes it dead, saying why, and leases the others.
/// Text columns (id, kind, method, URL, errors) must be UTF-8 without NUL bytes, as PostgreSQL
/// text is: enqueue() refuses other ids, kinds, methods and URLs with Errc::invalid_argument,
/// and error texts are stored with such bytes replaced by U+FFFD. Headers and bodies are kept
/// byte for byte.
CHATHOOKS_API Result<std::shared_ptr<OutboxStore>> open_postgres_store(
    const std::string& uri, PostgresStoreOptions options = {});

/// A statement with its parameters, for PQexecParams(): every parameter is sent in binary
/// format (paramFormats all 1, paramLengths the strings' sizes), with the type OIDs given.
struct PostgresStatement {
  /// The SQL text, parameters spelled $1, $2, ...
  std::string sql;
  /// The parameters' values in PostgreSQL's binary format, in order; none is NULL.
  std::vector<std::string> values;
  /// Each parameter's type OID (20 int8, 25 text, 17 bytea).
  std::vector<unsigned int> types;
};

/// The INSERT that enqueue() runs for `message`, to run on the application's own libpq
/// connection inside its own transaction: the message is stored if and only if that
/// transaction commits (the transactional outbox). Build the message with make_message()
/// (worker.hpp). A duplicate id fails the INSERT with SQLSTATE 23505. The schema must exist:
/// open_postgres_store() with the same schema creates it once. The connection's
/// client_encoding must be UTF8 (the text values are UTF-8). Errc::invalid_argument as for
/// enqueue() (empty id or URL, text that is not UTF-8, a bad schema name).
CHATHOOKS_API Result<PostgresStatement> postgres_insert(const StoredMessage& message,
                                                        const std::string& schema = "chathooks");

}  // namespace chathooks::outbox
