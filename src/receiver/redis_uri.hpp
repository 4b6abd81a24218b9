// The Redis store's URI: `redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]` or
// `redis+unix://[[USER]:PASSWORD@]/PATH[?db=DB]`, parsed into what a connection needs, and a
// label for error messages that never holds the password. Private.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>

#include "chathooks/error.hpp"

namespace chathooks::receiver::detail {

/// Where a Redis server is and how to log in to it.
struct RedisAddress {
  std::string host;           ///< a name or an address (IPv6 without brackets); empty for a socket
  int port = 6379;            ///< TCP port
  std::string socket_path;    ///< a unix socket's path, when not TCP
  std::string user;           ///< AUTH user (Redis 6 ACL), empty for the default user
  std::string password;       ///< AUTH password, empty for none
  std::int64_t database = 0;  ///< SELECT database

  /// "redis HOST:PORT[/DB]" or "redis unix:PATH[/DB]": for error messages, without credentials.
  std::string label() const;
};

/// Parses `uri`. Errc::invalid_argument naming what is wrong (never echoing the credentials).
Result<RedisAddress> parse_redis_uri(const std::string& uri);

}  // namespace chathooks::receiver::detail
