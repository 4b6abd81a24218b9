// The idempotency store in Redis: receivers on many machines that share one Redis server handle
// each webhook-id once between them. Each key is one Redis hash whose expiry Redis itself
// keeps (the server's clock); every call is one atomic script. A single Redis server (or a
// primary with replicas) is supported; Redis Cluster is not.
// Thread-safety: the store is safe to call from any number of threads and processes at once
// (a pool of connections).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/receiver/idempotency_store.hpp"

namespace chathooks::receiver {

/// Where and how a Redis idempotency store keeps its keys.
struct RedisIdempotencyStoreOptions {
  /// Put before every key, so that the store shares a database with other data safely.
  std::string key_prefix = "chathooks:idempotency:";
  /// The most connections held open at once (each call borrows one). At least 1.
  std::size_t connections = 4;
  /// How long making a connection may take.
  std::chrono::milliseconds connect_timeout{5000};
  /// How long one call may wait for the server's answer (then Errc::storage, and the receiver
  /// answers 503).
  std::chrono::milliseconds command_timeout{5000};
};

/// Connects to the server at `uri` and checks it answers. `uri` is
/// `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]` (port 6379 by default; HOST may be a bracketed
/// IPv6 address) or `redis+unix://[[USER]:PASSWORD@]/PATH[?db=DB]` (a unix socket).
/// Errc::invalid_argument for a malformed URI or bad options, Errc::storage when the server
/// cannot be reached or refuses the password or database. Error messages never contain the
/// password.
CHATHOOKS_API Result<std::shared_ptr<IdempotencyStore>> open_redis_idempotency_store(
    const std::string& uri, RedisIdempotencyStoreOptions options = {});

}  // namespace chathooks::receiver
