// libpq for the PostgreSQL stores (postgres_pool.hpp). Thread-safety: see there.
#include "outbox/postgres_pool.hpp"

#include <algorithm>
#include <climits>
#include <utility>

namespace chathooks::outbox::detail {

namespace {

void put_big_endian(std::string& out, std::uint64_t value, int bytes) {
  for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xFFu));
  }
}

// libpq's messages end in a newline and may hold several lines: one line for ours.
std::string one_line(const char* text) {
  std::string line = text != nullptr ? text : "";
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) line.pop_back();
  for (char& c : line) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return line.empty() ? "unknown PostgreSQL error" : line;
}

std::string statement_name(std::size_t index) {
  return "chathooks_outbox_" + std::to_string(index);
}

// The server's notices ("schema ... already exists, skipping") are not ours to print.
void ignore_notice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Names and text.

bool valid_schema_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (name.front() >= '0' && name.front() <= '9') return false;
  if (name.substr(0, 3) == "pg_") return false;  // reserved by PostgreSQL
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string in_schema(std::string_view sql, const std::string& schema) {
  std::string out;
  out.reserve(sql.size() + 16);
  for (const char c : sql) {
    if (c == '@') {
      out += '"' + schema + '"';
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> describe(const std::string& uri, std::string_view what,
                                    const std::string& schema, std::string& error) {
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &message);
  if (options == nullptr) {
    // libpq's reason may quote the URI, password included: keep only what comes before the
    // first quote ("invalid percent-encoded token", "unexpected character ... in URI").
    error = message != nullptr ? message : "cannot parse it";
    PQfreemem(message);
    error = error.substr(0, error.find('"'));
    while (!error.empty() && (error.back() == '\n' || error.back() == ' ' || error.back() == ':')) {
      error.pop_back();
    }
    if (error.empty()) error = "cannot parse it";
    return std::nullopt;
  }
  std::string label = std::string(what) + " postgresql (";
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    const std::string_view keyword = option->keyword;
    if (option->val != nullptr && *option->val != '\0' &&
        (keyword == "host" || keyword == "hostaddr" || keyword == "port" || keyword == "dbname" ||
         keyword == "user")) {
      label += std::string(keyword) + "=" + option->val + ", ";
    }
  }
  PQconninfoFree(options);
  return label + "schema=" + schema + ")";
}

// The outbox's key since its first release: kept, so that older outboxes take the same lock.
std::string schema_lock_sql(const std::string& schema) {
  return "SELECT pg_advisory_xact_lock(hashtext('chathooks outbox " + schema + "'))";
}

// ---------------------------------------------------------------------------------------------
// Parameters and rows.

PgParams& PgParams::int8(std::int64_t value) {
  std::string bytes;
  put_big_endian(bytes, static_cast<std::uint64_t>(value), 8);
  values_.emplace_back(std::move(bytes));
  types_.push_back(kInt8Oid);
  return *this;
}

PgParams& PgParams::int8_or_null(std::optional<std::int64_t> value) {
  if (value) return int8(*value);
  values_.emplace_back(std::nullopt);
  types_.push_back(kInt8Oid);
  return *this;
}

PgParams& PgParams::text(std::string_view value) {
  values_.emplace_back(std::string(value));
  types_.push_back(kTextOid);
  return *this;
}

PgParams& PgParams::bytea(std::string_view value) {
  values_.emplace_back(std::string(value));
  types_.push_back(kByteaOid);
  return *this;
}

std::string PgRows::bytes(int row, int column) const {
  const char* data = PQgetvalue(result_.get(), row, column);
  const int size = PQgetlength(result_.get(), row, column);
  if (data == nullptr || size <= 0) return std::string();
  return std::string(data, static_cast<std::size_t>(size));
}

std::optional<std::int64_t> PgRows::integer(int row, int column) const noexcept {
  const auto* data = reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, column));
  const int size = PQgetlength(result_.get(), row, column);
  if (data == nullptr || (size != 2 && size != 4 && size != 8)) return std::nullopt;
  std::uint64_t value = 0;
  for (int i = 0; i < size; ++i) value = (value << 8) | data[i];
  // Sign-extend the narrower widths.
  const int unused_bits = (8 - size) * 8;
  if (unused_bits > 0 && (value >> (size * 8 - 1)) != 0) {
    value |= ~std::uint64_t{0} << (size * 8);
  }
  return static_cast<std::int64_t>(value);
}

// ---------------------------------------------------------------------------------------------
// The pool.

struct PgPool::Connection {
  struct Finish {
    void operator()(PGconn* handle) const noexcept { PQfinish(handle); }
  };
  std::unique_ptr<PGconn, Finish> conn;
  std::vector<bool> prepared;

  // Fit to go back to the pool: the link holds and no transaction was left open.
  bool reusable() const noexcept {
    return PQstatus(conn.get()) == CONNECTION_OK && PQtransactionStatus(conn.get()) == PQTRANS_IDLE;
  }

  // Whether an idle connection still holds. libpq's socket is non-blocking, so this reads only
  // what has arrived: a server that ended the session has sent its goodbye and closed, which
  // PQconsumeInput() turns into CONNECTION_BAD. Anything else arriving on an idle session (a
  // notice) is consumed and ignored.
  // Twice: a read that returns the goodbye message does not look further, so the end of the
  // stream behind it is seen by the second.
  bool alive() const noexcept {
    for (int i = 0; i < 2; ++i) {
      if (PQconsumeInput(conn.get()) != 1 || PQstatus(conn.get()) != CONNECTION_OK) return false;
    }
    return true;
  }
};

PGconn* PgPool::raw(Connection& connection) noexcept { return connection.conn.get(); }

// A borrowed connection, given back to the pool (or closed, if no longer fit) however the
// borrower leaves, exceptions included: a lost slot would make later callers wait forever.
class PgPool::Borrowed {
 public:
  Borrowed(PgPool& pool, std::unique_ptr<Connection> connection) noexcept
      : pool_(&pool), connection_(std::move(connection)) {}
  Borrowed(Borrowed&& other) noexcept
      : pool_(other.pool_), connection_(std::move(other.connection_)) {}
  Borrowed& operator=(Borrowed&&) = delete;
  Borrowed(const Borrowed&) = delete;
  Borrowed& operator=(const Borrowed&) = delete;
  ~Borrowed() {
    if (connection_) pool_->give_back(std::move(connection_));
  }
  Connection& operator*() const noexcept { return *connection_; }
  Connection* operator->() const noexcept { return connection_.get(); }

 private:
  PgPool* pool_;
  std::unique_ptr<Connection> connection_;
};

PgPool::PgPool(std::string conninfo, std::chrono::seconds connect_timeout,
               std::chrono::milliseconds statement_timeout, std::size_t max, std::string label,
               std::vector<std::string> statements)
    : conninfo_(std::move(conninfo)),
      connect_timeout_(std::to_string(connect_timeout.count())),
      // Text travels as UTF-8 whatever the environment (PGCLIENTENCODING) or the database's
      // encoding say; no statement (or lock wait behind another session) runs unbounded.
      session_settings_("SET client_encoding = 'UTF8'; SET statement_timeout = " +
                        std::to_string(statement_timeout.count())),
      max_(max),
      label_(std::move(label)),
      statements_(std::move(statements)) {}

PgPool::~PgPool() = default;

Error PgPool::failure(std::string_view operation, const PGconn* conn,
                      const PGresult* result) const {
  std::string words;
  if (result != nullptr && PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) != nullptr) {
    words = one_line(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
    if (const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE); state != nullptr) {
      words += " (SQLSTATE " + std::string(state) + ")";
    }
  } else if (result != nullptr && *PQresultErrorMessage(result) != '\0') {
    words = one_line(PQresultErrorMessage(result));
  } else {
    words = one_line(conn != nullptr ? PQerrorMessage(conn) : nullptr);
  }
  return Error(Errc::storage, label_ + ": " + std::string(operation) + ": " + words);
}

Result<std::unique_ptr<PgPool::Connection>> PgPool::connect(std::string_view operation) const {
  // The URI is expanded in place of "dbname", and what it sets wins over the keywords before
  // it: these are defaults. Keepalives and tcp_user_timeout end a call on a peer that vanished
  // (a TCP link otherwise hangs for many minutes); they do nothing on a unix socket.
  const char* const keywords[] = {"connect_timeout",
                                  "application_name",
                                  "keepalives_idle",
                                  "keepalives_count",
                                  "tcp_user_timeout",
                                  "dbname",
                                  nullptr};
  const char* const values[] = {connect_timeout_.c_str(), "chathooks", "30", "3", "60000",
                                conninfo_.c_str(),        nullptr};
  auto connection = std::make_unique<Connection>();
  connection->conn.reset(PQconnectdbParams(keywords, values, 1));
  if (!connection->conn) {
    return Error(Errc::storage, label_ + ": " + std::string(operation) +
                                    ": cannot connect: out of memory in libpq");
  }
  if (PQstatus(connection->conn.get()) != CONNECTION_OK) {
    return Error(Errc::storage, label_ + ": " + std::string(operation) + ": cannot connect: " +
                                    one_line(PQerrorMessage(connection->conn.get())));
  }
  PQsetNoticeProcessor(connection->conn.get(), ignore_notice, nullptr);
  PGresult* set = PQexec(connection->conn.get(), session_settings_.c_str());
  if (PQresultStatus(set) != PGRES_COMMAND_OK) {
    Error error = failure(operation, connection->conn.get(), set);
    PQclear(set);
    return error;
  }
  PQclear(set);
  connection->prepared.assign(statements_.size(), false);
  return connection;
}

Result<PgPool::Borrowed> PgPool::borrow(std::string_view operation) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    freed_.wait(lock, [this] { return !idle_.empty() || open_ < max_; });
    if (idle_.empty()) break;
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    if (connection->alive()) return Borrowed(*this, std::move(connection));
    --open_;  // the server closed it: drop it (PQfinish as it goes) and look again
  }
  ++open_;
  lock.unlock();  // connecting takes a round trip or more: others may use idle ones meanwhile
  auto connection = connect(operation);
  if (!connection) {
    lock.lock();
    --open_;
    freed_.notify_one();
    return std::move(connection).error();
  }
  return Borrowed(*this, std::move(*connection));
}

void PgPool::give_back(std::unique_ptr<Connection> connection) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  if (connection->reusable()) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;  // closed as `connection` goes out of scope
  }
  freed_.notify_one();
}

Result<PgRows> PgPool::exec(Connection& connection, std::string_view operation, std::size_t index,
                            const PgParams& params, std::string* sqlstate) {
  PGconn* conn = connection.conn.get();
  const std::string name = statement_name(index);
  const int count = static_cast<int>(params.size());

  auto fail = [&](PGresult* raw) -> Error {
    PgRows result(raw);  // frees it
    if (sqlstate != nullptr) {
      const char* state = raw != nullptr ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
      *sqlstate = state != nullptr ? state : "";
    }
    return failure(operation, conn, raw);
  };

  if (!connection.prepared[index]) {
    PGresult* prepared =
        PQprepare(conn, name.c_str(), statements_[index].c_str(), count, params.types().data());
    if (PQresultStatus(prepared) != PGRES_COMMAND_OK) return fail(prepared);
    PQclear(prepared);
    connection.prepared[index] = true;
  }

  std::vector<const char*> values;
  std::vector<int> lengths;
  const std::vector<int> formats(params.size(), 1);
  for (const auto& value : params.values()) {
    if (value && value->size() > static_cast<std::size_t>(INT_MAX)) {
      return Error(Errc::storage, label_ + ": " + std::string(operation) +
                                      ": a value over 2 GiB cannot be sent to PostgreSQL");
    }
    values.push_back(value ? value->data() : nullptr);
    lengths.push_back(value ? static_cast<int>(value->size()) : 0);
  }
  PGresult* raw = PQexecPrepared(conn, name.c_str(), count, values.data(), lengths.data(),
                                 formats.data(), /*resultFormat=binary*/ 1);
  const ExecStatusType status = PQresultStatus(raw);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return fail(raw);
  return PgRows(raw);
}

Result<PgRows> PgPool::run(std::string_view operation, std::size_t index, const PgParams& params,
                           std::string* sqlstate) {
  auto borrowed = borrow(operation);
  if (!borrowed) return std::move(borrowed).error();
  return exec(**borrowed, operation, index, params, sqlstate);
}

Result<std::vector<PgRows>> PgPool::run_all(std::string_view operation, std::size_t index,
                                            const std::vector<PgParams>& each) {
  std::vector<PgRows> results;
  results.reserve(each.size());
  auto done = in_transaction(operation, [&](Connection& connection) -> Result<void> {
    for (const PgParams& params : each) {
      auto rows = exec(connection, operation, index, params, nullptr);
      if (!rows) return std::move(rows).error();
      results.push_back(std::move(*rows));
    }
    return {};
  });
  if (!done) return std::move(done).error();
  return results;
}

Result<PgRows> PgPool::simple(Connection& connection, std::string_view step,
                              const std::string& sql) {
  PGconn* conn = connection.conn.get();
  PgRows rows(PQexec(conn, sql.c_str()));
  const ExecStatusType status = PQresultStatus(rows.raw());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    return failure(step, conn, rows.raw());
  }
  return rows;
}

Result<void> PgPool::in_transaction(std::string_view operation,
                                    const std::function<Result<void>(Connection&)>& body) {
  auto borrowed = borrow(operation);
  if (!borrowed) return std::move(borrowed).error();
  Connection& connection = **borrowed;
  PGconn* conn = connection.conn.get();
  Result<void> outcome;
  {
    PGresult* begin = PQexec(conn, "BEGIN");
    const bool began = PQresultStatus(begin) == PGRES_COMMAND_OK;
    if (!began) outcome = failure(operation, conn, begin);
    PQclear(begin);
  }
  if (outcome) outcome = body(connection);
  if (outcome) {
    PGresult* commit = PQexec(conn, "COMMIT");
    if (PQresultStatus(commit) != PGRES_COMMAND_OK) outcome = failure(operation, conn, commit);
    PQclear(commit);
  }
  if (!outcome && PQtransactionStatus(conn) != PQTRANS_IDLE) {
    PQclear(PQexec(conn, "ROLLBACK"));
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Schemas.

Result<void> prepare_schema_tables(PgPool& pool, const std::string& schema,
                                   const PgSchemaTables& tables) {
  const std::string& label = pool.label();
  return pool.in_transaction("opening", [&](PgPool::Connection& connection) -> Result<void> {
    const auto add_tables = [&]() -> Result<void> {
      if (tables.added_sql.empty()) return {};
      auto added =
          pool.simple(connection, "creating the added tables", in_schema(tables.added_sql, schema));
      if (!added) return std::move(added).error();
      return {};
    };
    if (auto locked = pool.simple(connection, "locking the schema", schema_lock_sql(schema));
        !locked) {
      return std::move(locked).error();
    }
    std::string probe =
        "SELECT to_regclass('\"" + schema + "\"." + tables.version_table + "') IS NOT NULL";
    for (const std::string& table : tables.tables) {
      probe += ", to_regclass('\"" + schema + "\"." + table + "') IS NOT NULL";
    }
    auto found = pool.simple(connection, "reading the schema", probe);
    if (!found) return std::move(found).error();
    const bool has_version = found->bytes(0, 0) == "t";
    std::size_t present = 0;
    for (std::size_t i = 0; i < tables.tables.size(); ++i) {
      if (found->bytes(0, static_cast<int>(i + 1)) == "t") ++present;
    }
    if (!has_version) {
      if (present != 0) {
        return Error(Errc::storage, label + ": not " + tables.kind +
                                        ": tables named like its own without its schema version"
                                        " table");
      }
      auto created =
          pool.simple(connection, "creating the tables", in_schema(tables.create_sql, schema));
      if (!created) return std::move(created).error();
      return add_tables();
    }
    auto version = pool.simple(connection, "reading the schema version",
                               "SELECT version FROM \"" + schema + "\"." + tables.version_table);
    if (!version) return std::move(version).error();
    if (version->size() != 1) {
      return Error(Errc::storage, label + ": not " + tables.kind +
                                      ": its schema version table holds " +
                                      std::to_string(version->size()) + " rows");
    }
    const std::string found_version = version->bytes(0, 0);
    if (found_version != std::to_string(tables.version)) {
      return Error(Errc::storage, label + ": schema version " + found_version +
                                      ", but this chathooks reads version " +
                                      std::to_string(tables.version) + " only");
    }
    if (present != tables.tables.size()) {
      return Error(Errc::storage, label + ": not " + tables.kind + ": its tables are missing");
    }
    return add_tables();
  });
}

}  // namespace chathooks::outbox::detail
