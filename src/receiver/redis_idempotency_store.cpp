// The Redis idempotency store (redis_idempotency_store.hpp). Each key is a hash under the
// options' prefix with fields s (state: "p" in progress, "c" completed), d (body digest), t (an
// in-progress claim's token), and
// for a completed key st, ct, b (the answer's status, content type and body). Redis keeps the
// expiry (PEXPIRE), on its own clock. Each call is one Lua script, which Redis runs atomically;
// scripts go by EVALSHA, falling back to EVAL when the server does not know them (a restart).
#include "chathooks/receiver/redis_idempotency_store.hpp"

#include <openssl/sha.h>

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "core/hex.hpp"
#include "receiver/claim_token.hpp"
#include "receiver/redis_pool.hpp"
#include "receiver/redis_uri.hpp"

namespace chathooks::receiver {
namespace {

using detail::RedisReplyPtr;

// KEYS[1] the key; ARGV: digest, claim ttl in ms, the claim's token.
constexpr std::string_view kClaimScript = R"lua(
local v = redis.call('HMGET', KEYS[1], 's', 'd', 'st', 'ct', 'b')
if not v[1] then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 's', 'p', 'd', ARGV[1], 't', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {'claimed'}
end
if v[2] and v[2] ~= '' and ARGV[1] ~= '' and v[2] ~= ARGV[1] then return {'conflict'} end
if v[1] == 'c' then return {'completed', v[3] or '200', v[4] or '', v[5] or ''} end
return {'in_progress'}
)lua";

// KEYS[1] the key; ARGV: digest, status, content type, body, ttl in ms.
constexpr std::string_view kCompleteScript = R"lua(
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 's', 'c', 'd', ARGV[1], 'st', ARGV[2], 'ct', ARGV[3], 'b', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
)lua";

// KEYS[1] the key; ARGV: the claim's token.
constexpr std::string_view kReleaseScript = R"lua(
local v = redis.call('HMGET', KEYS[1], 's', 't')
if v[1] == 'p' and v[2] == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
)lua";

// A script and its SHA-1 (hex), the name EVALSHA knows it by.
struct Script {
  explicit Script(std::string_view text) : source(text) {
    unsigned char digest[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
    chathooks::detail::append_hex(
        sha1, std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
  }
  std::string_view source;
  std::string sha1;
};

std::string reply_text(const redisReply& reply) {
  return std::string(reply.str != nullptr ? reply.str : "", reply.len);
}

// ttl in milliseconds, from 1 (PEXPIRE 0 would delete the key at once) to 100 years (beyond,
// the product could overflow, and a negative PEXPIRE deletes the key).
std::string milliseconds(std::chrono::seconds ttl) {
  constexpr long long kMaxSeconds = 100LL * 366 * 24 * 3600;
  const long long seconds = std::clamp<long long>(ttl.count(), 0, kMaxSeconds);
  return std::to_string(seconds == 0 ? 1 : seconds * 1000);
}

class RedisIdempotencyStore final : public IdempotencyStore {
 public:
  RedisIdempotencyStore(std::unique_ptr<detail::RedisPool> pool, std::string prefix)
      : pool_(std::move(pool)),
        prefix_(std::move(prefix)),
        claim_(kClaimScript),
        complete_(kCompleteScript),
        release_(kReleaseScript) {}

  Result<Claim> claim(const std::string& key, const std::string& digest,
                      std::chrono::seconds ttl) override {
    const std::string ms = milliseconds(ttl);
    auto token = detail::random_claim_token();
    if (!token) return std::move(token).error();
    auto reply = eval(claim_, key, {digest, ms, *token});
    if (!reply) return std::move(reply).error();
    const redisReply& r = **reply;
    if (r.type != REDIS_REPLY_ARRAY || r.elements == 0 || r.element[0]->type != REDIS_REPLY_STRING)
      return unexpected("claim");
    const std::string state = reply_text(*r.element[0]);
    if (state == "claimed") {
      Claim claimed;
      claimed.token = std::move(*token);
      return claimed;
    }
    if (state == "in_progress") return Claim{ClaimState::in_progress, std::nullopt, {}};
    if (state == "conflict") return Claim{ClaimState::conflict, std::nullopt, {}};
    if (state != "completed" || r.elements != 4) return unexpected("claim");
    StoredReply stored;
    const std::string status = reply_text(*r.element[1]);
    stored.status = 0;
    for (char c : status) {
      if (c < '0' || c > '9' || stored.status > 99) return unexpected("claim (status)");
      stored.status = stored.status * 10 + (c - '0');
    }
    stored.content_type = reply_text(*r.element[2]);
    stored.body = reply_text(*r.element[3]);
    return Claim{ClaimState::completed, std::move(stored), {}};
  }

  Result<void> complete(const std::string& key, const std::string& digest, const StoredReply& reply,
                        std::chrono::seconds ttl) override {
    const std::string status = std::to_string(reply.status);
    const std::string ms = milliseconds(ttl);
    auto done = eval(complete_, key, {digest, status, reply.content_type, reply.body, ms});
    if (!done) return std::move(done).error();
    return {};
  }

  Result<void> release(const std::string& key, const std::string& token) override {
    auto done = eval(release_, key, {token});
    if (!done) return std::move(done).error();
    return {};
  }

 private:
  // Runs `script` on prefix + key: EVALSHA, then EVAL if the server lost its script cache.
  Result<RedisReplyPtr> eval(const Script& script, const std::string& key,
                             std::initializer_list<std::string_view> args) {
    const std::string full_key = prefix_ + key;
    std::vector<std::string_view> command{"EVALSHA", script.sha1, "1", full_key};
    command.insert(command.end(), args.begin(), args.end());
    auto reply = pool_->command(command);
    if (reply && (*reply)->type == REDIS_REPLY_ERROR &&
        reply_text(**reply).compare(0, 8, "NOSCRIPT") == 0) {
      command[0] = "EVAL";
      command[1] = script.source;
      reply = pool_->command(command);
    }
    if (reply && (*reply)->type == REDIS_REPLY_ERROR)
      return Error(Errc::storage, pool_->label() + ": " + reply_text(**reply));
    return reply;
  }

  Error unexpected(std::string_view what) const {
    return Error(Errc::storage, pool_->label() + ": an unexpected answer to " + std::string(what) +
                                    " (is the key prefix used by something else?)");
  }

  std::unique_ptr<detail::RedisPool> pool_;
  std::string prefix_;
  Script claim_;
  Script complete_;
  Script release_;
};

}  // namespace

Result<std::shared_ptr<IdempotencyStore>> open_redis_idempotency_store(
    const std::string& uri, RedisIdempotencyStoreOptions options) {
  auto address = detail::parse_redis_uri(uri);
  if (!address) return std::move(address).error();
  auto pool = detail::RedisPool::open(std::move(*address), options.connections,
                                      options.connect_timeout, options.command_timeout);
  if (!pool) return std::move(pool).error();
  return std::shared_ptr<IdempotencyStore>(
      std::make_shared<RedisIdempotencyStore>(std::move(*pool), std::move(options.key_prefix)));
}

}  // namespace chathooks::receiver
