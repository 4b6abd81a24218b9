// test_postgres::unique_name(), run_sql() and query_value() (libpq).
#include <memory>
#include <stdexcept>

#include <libpq-fe.h>

#include "postgres_server.hpp"
#include "servers/unique_suffix.hpp"

namespace test_postgres {
namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

Connection connect(const std::string& uri) {
  Connection connection(PQconnectdb(uri.c_str()), &PQfinish);
  if (!connection) throw std::runtime_error("libpq: out of memory connecting to " + uri);
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect to " + uri + ": " + PQerrorMessage(connection.get()));
  }
  return connection;
}

Result execute(PGconn* connection, const std::string& sql) {
  Result result(PQexec(connection, sql.c_str()), &PQclear);
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error("SQL failed: " + std::string(PQerrorMessage(connection)) +
                             "in: " + sql);
  }
  return result;
}

}  // namespace

std::string unique_name(std::string_view prefix) {
  bool valid = !prefix.empty() && prefix.size() <= 30 && prefix[0] >= 'a' && prefix[0] <= 'z';
  for (const char c : prefix) {
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (!valid) {
    throw std::invalid_argument("unique_name: the prefix '" + std::string(prefix) +
                                "' is not [a-z][a-z0-9_]* of at most 30 characters");
  }
  return std::string(prefix) + test_servers::unique_suffix('_');
}

void run_sql(const std::string& uri, const std::string& sql) {
  const Connection connection = connect(uri);
  execute(connection.get(), sql);
}

std::string query_value(const std::string& uri, const std::string& sql) {
  const Connection connection = connect(uri);
  const Result result = execute(connection.get(), sql);
  if (PQntuples(result.get()) < 1 || PQnfields(result.get()) < 1) {
    throw std::runtime_error("no row from: " + sql);
  }
  return PQgetvalue(result.get(), 0, 0);
}

}  // namespace test_postgres
