// hiredis for the Redis idempotency store: a pool of connections to one server that runs
// binary-safe commands, and reports failures as Errc::storage with the server's label (never
// its password). Private.
//
// Thread-safety: a RedisPool may be used from any number of threads at once: each command
// borrows one connection (waiting while all `max` are busy) and gives it back, so a hiredis
// context is only ever used by one thread at a time. A connection whose link broke is closed. An
// idle connection is checked before it is reused (one the server closed, after a restart, an
// idle timeout or CLIENT KILL, reads as end of file and is dropped), so such a loss costs no
// failed call; should a checked one still break at once, every idle connection is dropped and
// the command is sent once more on a new connection. One that timed out is not sent again. The
// pool waits without a deadline for a free connection, which the busy ones give back within
// their command timeout. hiredis writes with write(2): SIGPIPE is blocked in the calling thread
// while a command runs and a SIGPIPE it raised is consumed, so that a closed connection never
// kills a host that did not ignore SIGPIPE.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/error.hpp"
#include "receiver/redis_uri.hpp"

namespace chathooks::receiver::detail {

/// Frees a hiredis reply.
struct RedisReplyFree {
  void operator()(redisReply* reply) const noexcept { freeReplyObject(reply); }
};
/// A reply owned.
using RedisReplyPtr = std::unique_ptr<redisReply, RedisReplyFree>;

/// A pool of connections to one Redis server.
class RedisPool {
 public:
  /// Checks the options and connects once (AUTH and SELECT included), so that a wrong address,
  /// password or database is reported at once.
  static Result<std::unique_ptr<RedisPool>> open(RedisAddress address, std::size_t max,
                                                 std::chrono::milliseconds connect_timeout,
                                                 std::chrono::milliseconds command_timeout);

  /// Sends one command, each argument binary-safe, and returns the reply, an error reply
  /// included (REDIS_REPLY_ERROR: the caller decides). Errc::storage when the server cannot be
  /// reached, does not answer within the command timeout, or the link breaks.
  Result<RedisReplyPtr> command(const std::vector<std::string_view>& args);

  /// "redis HOST:PORT", for messages.
  const std::string& label() const noexcept { return label_; }

  ~RedisPool();
  RedisPool(const RedisPool&) = delete;
  RedisPool& operator=(const RedisPool&) = delete;

 private:
  struct ContextFree {
    void operator()(redisContext* context) const noexcept { redisFree(context); }
  };
  using ContextPtr = std::unique_ptr<redisContext, ContextFree>;

  RedisPool(RedisAddress address, std::size_t max, std::chrono::milliseconds connect_timeout,
            std::chrono::milliseconds command_timeout);
  Result<ContextPtr> connect() const;
  // Takes an idle connection (`reused` true), or makes one while fewer than max_ are open.
  Result<ContextPtr> borrow(bool& reused);
  void give_back(ContextPtr context);
  void forget();     // a borrowed connection was closed
  void drop_idle();  // closes every idle connection
  static bool alive(const redisContext& context);
  Result<RedisReplyPtr> run(redisContext* context, const std::vector<std::string_view>& args,
                            bool& retryable) const;

  RedisAddress address_;
  std::string label_;
  std::size_t max_;
  std::chrono::milliseconds connect_timeout_;
  std::chrono::milliseconds command_timeout_;

  std::mutex mutex_;
  std::condition_variable idle_or_room_;
  std::vector<ContextPtr> idle_;
  std::size_t open_ = 0;  // idle and borrowed
};

}  // namespace chathooks::receiver::detail
