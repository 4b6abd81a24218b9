// test_redis::command(): one Redis command through hiredis, its reply as text.
#include <sys/time.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include <hiredis/hiredis.h>

#include "redis_server.hpp"

namespace test_redis {
namespace {

using Context = std::unique_ptr<redisContext, decltype(&redisFree)>;
using Reply = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

constexpr timeval connect_timeout{5, 0};
constexpr timeval io_timeout{30, 0};

Context connect(const std::string& target) {
  redisContext* raw = nullptr;
  const std::string scheme = "redis://";
  if (!target.empty() && target[0] == '/') {
    raw = redisConnectUnixWithTimeout(target.c_str(), connect_timeout);
  } else if (target.compare(0, scheme.size(), scheme) == 0) {
    const std::size_t colon = target.rfind(':');
    char* end = nullptr;
    const long port = colon > scheme.size() ? std::strtol(target.c_str() + colon + 1, &end, 10) : 0;
    if (!end || *end != '\0' || port <= 0 || port > 65535) {
      throw std::invalid_argument("test_redis::command: not redis://HOST:PORT: " + target);
    }
    const std::string host = target.substr(scheme.size(), colon - scheme.size());
    raw = redisConnectWithTimeout(host.c_str(), static_cast<int>(port), connect_timeout);
  } else {
    throw std::invalid_argument(
        "test_redis::command: the target is neither redis://HOST:PORT nor a socket path: " +
        target);
  }
  Context context(raw, &redisFree);
  if (!context) throw std::runtime_error("hiredis: out of memory connecting to " + target);
  if (context->err) {
    throw std::runtime_error("cannot connect to Redis at " + target + ": " + context->errstr);
  }
  if (redisSetTimeout(context.get(), io_timeout) != REDIS_OK) {
    throw std::runtime_error("cannot set a timeout on the connection to " + target);
  }
  return context;
}

std::string reply_text(const redisReply& reply) {
  switch (reply.type) {
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_STRING:
      return std::string(reply.str, reply.len);
    case REDIS_REPLY_INTEGER:
      return std::to_string(reply.integer);
    case REDIS_REPLY_NIL:
      return "(nil)";
    case REDIS_REPLY_ARRAY: {
      std::string text;
      for (std::size_t i = 0; i < reply.elements; ++i) text += reply_text(*reply.element[i]) + "\n";
      return text;
    }
    default:
      throw std::runtime_error("Redis replied with an unknown reply type " +
                               std::to_string(reply.type));
  }
}

}  // namespace

std::string command(const std::string& target, const std::vector<std::string>& args) {
  if (args.empty()) throw std::invalid_argument("test_redis::command: no command given");
  const Context context = connect(target);
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  const Reply reply(static_cast<redisReply*>(redisCommandArgv(
                        context.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())),
                    &freeReplyObject);
  if (!reply) {
    throw std::runtime_error("Redis command " + args[0] + " at " + target +
                             " failed: " + context->errstr);
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    throw std::runtime_error("Redis command " + args[0] + " at " + target +
                             " failed: " + std::string(reply->str, reply->len));
  }
  return reply_text(*reply);
}

}  // namespace test_redis
