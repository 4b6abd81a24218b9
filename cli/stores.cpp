// Opening the CLI's --store STORE (stores.hpp).
#include "stores.hpp"

#include <fmt/format.h>

#include <string>

#include "chathooks/outbox/postgres_store.hpp"
#include "chathooks/outbox/sqlite_store.hpp"
#include "chathooks/receiver/postgres_idempotency_store.hpp"
#include "chathooks/receiver/redis_idempotency_store.hpp"
#include "chathooks/receiver/sqlite_idempotency_store.hpp"
#include "io.hpp"

namespace chathooks_cli {
namespace {

enum class Engine { sqlite, postgres, redis };

// What STORE names: its engine, and the path (sqlite) or URI (the others).
struct StoreName {
  Engine engine;
  std::string location;
};

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

chathooks::Result<StoreName> parse_store(std::string_view store, bool redis_allowed) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (starts_with(store, kSqlite) && store.size() > kSqlite.size()) {
    std::string path(store.substr(kSqlite.size()));
    // SQLite's in-memory database would store nothing that lasts or that another process sees.
    if (path == ":memory:")
      return chathooks::Error(chathooks::Errc::invalid_argument,
                              "sqlite::memory: is not durable: give a file path");
    return StoreName{Engine::sqlite, std::move(path)};
  }
  if (starts_with(store, "postgresql://") || starts_with(store, "postgres://"))
    return StoreName{Engine::postgres, std::string(store)};
  if (redis_allowed && (starts_with(store, "redis://") || starts_with(store, "redis+unix://")))
    return StoreName{Engine::redis, std::string(store)};
  // Only the scheme is repeated: the rest of a URI may hold a password.
  const std::size_t colon = store.find(':');
  const std::string_view shown = colon == std::string_view::npos ? "" : store.substr(0, colon + 1);
  return chathooks::Error(
      chathooks::Errc::invalid_argument,
      fmt::format("unknown store {}(expected {})",
                  shown.empty() ? "" : fmt::format("kind '{}' ", shown),
                  redis_allowed ? "sqlite:PATH, postgresql://... or redis://HOST:PORT"
                                : "sqlite:PATH or postgresql://..."));
}

}  // namespace

chathooks::Result<std::shared_ptr<chathooks::outbox::OutboxStore>> open_outbox_store(
    std::string_view store) {
  auto name = parse_store(store, false);
  if (!name) return std::move(name).error();
  if (name->engine == Engine::sqlite) return chathooks::outbox::open_sqlite_store(name->location);
  return chathooks::outbox::open_postgres_store(name->location);
}

chathooks::Result<std::shared_ptr<chathooks::receiver::IdempotencyStore>> open_idempotency_store(
    std::string_view store) {
  namespace receiver = chathooks::receiver;
  auto name = parse_store(store, true);
  if (!name) return std::move(name).error();
  switch (name->engine) {
    case Engine::sqlite:
      return receiver::open_sqlite_idempotency_store(name->location);
    case Engine::postgres:
      return receiver::open_postgres_idempotency_store(name->location);
    case Engine::redis:
      break;
  }
  return receiver::open_redis_idempotency_store(name->location);
}

void print_store_error(const chathooks::Error& error) {
  print_error(fmt::format("{}: {}", chathooks::to_string(error.code()), error.message()));
}

}  // namespace chathooks_cli
