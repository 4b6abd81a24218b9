// What only the Redis idempotency store does, on the test suite's real Redis server
// (tests/redis): its URIs, the expiry Redis keeps, a connection the server closed or a script
// cache it flushed (the next call still works), a server that does not answer in time, and
// errors that never show the password. The contract every shared store keeps is
// idempotency_contract_test.cpp.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/receiver/redis_idempotency_store.hpp"
#include "redis/redis_server.hpp"

using namespace chathooks;
using receiver::ClaimState;
using std::chrono::seconds;

namespace {

receiver::RedisIdempotencyStoreOptions with_prefix(const std::string& prefix) {
  receiver::RedisIdempotencyStoreOptions options;
  options.key_prefix = prefix;
  return options;
}

std::shared_ptr<receiver::IdempotencyStore> open(const std::string& uri,
                                                 const std::string& prefix) {
  auto store = receiver::open_redis_idempotency_store(uri, with_prefix(prefix));
  INFO((store ? std::string() : store.error().message()));
  REQUIRE(store);
  return *store;
}

long long pttl(const std::string& key) {
  return std::stoll(test_redis::command(test_redis::uri(), {"PTTL", key}));
}

}  // namespace

TEST_CASE("Redis store: malformed URIs are invalid_argument, without the password") {
  for (const std::string uri :
       {"redis:/127.0.0.1", "http://127.0.0.1:6379", "redis://", "redis://host:0",
        "redis://host:65536", "redis://host:port", "redis://host/db", "redis://[::1",
        "redis://user@host", "redis://:p%zzsecret@host", "redis+unix://relative/path",
        "redis+unix:///tmp/x.sock?database=1", "redis://:secret@host/d@b"}) {
    INFO(uri);
    const auto store = receiver::open_redis_idempotency_store(uri);
    REQUIRE_FALSE(store);
    CHECK(store.error().code() == Errc::invalid_argument);
    CHECK(store.error().message().find("secret") == std::string::npos);
  }
  // '@' after the authority is part of the path, not credentials: a socket that is not there.
  const auto at_in_path = receiver::open_redis_idempotency_store("redis+unix:///tmp/no@such/s");
  REQUIRE_FALSE(at_in_path);
  CHECK(at_in_path.error().code() == Errc::storage);
  CHECK(at_in_path.error().message().find("unix:/tmp/no@such/s") != std::string::npos);
  receiver::RedisIdempotencyStoreOptions none;
  none.connections = 0;
  CHECK(receiver::open_redis_idempotency_store(test_redis::uri(), none).error().code() ==
        Errc::invalid_argument);
}

TEST_CASE("Redis store: TCP, the unix socket and a database number all reach the server") {
  const std::string prefix = test_redis::unique_prefix("uri");
  const auto tcp = open(test_redis::uri(), prefix);
  REQUIRE(tcp->claim("k", "sha256:a", seconds(60))->state == ClaimState::claimed);
  const auto by_socket = open("redis+unix://" + test_redis::unix_socket(), prefix);
  CHECK(by_socket->claim("k", "sha256:a", seconds(60))->state == ClaimState::in_progress);
  // Database 0 named explicitly is the same database; database 1 is another.
  CHECK(open(test_redis::uri() + "/0", prefix)->claim("k", "sha256:a", seconds(60))->state ==
        ClaimState::in_progress);
  CHECK(open(test_redis::uri() + "/1", prefix)->claim("k", "sha256:a", seconds(60))->state ==
        ClaimState::claimed);
  CHECK(open("redis+unix://" + test_redis::unix_socket() + "?db=1", prefix)
            ->claim("k", "sha256:a", seconds(60))
            ->state == ClaimState::in_progress);
}

TEST_CASE("Redis store: Redis keeps the claim's and the answer's expiry") {
  const std::string prefix = test_redis::unique_prefix("ttl");
  const auto store = open(test_redis::uri(), prefix);
  REQUIRE(store->claim("k", "sha256:a", seconds(30))->state == ClaimState::claimed);
  const long long claim_ttl = pttl(prefix + "k");
  CHECK(claim_ttl > 25000);
  CHECK(claim_ttl <= 30000);
  REQUIRE(store->complete("k", "sha256:a", {200, "application/json", "{}"}, seconds(600)));
  const long long answer_ttl = pttl(prefix + "k");
  CHECK(answer_ttl > 590000);
  CHECK(answer_ttl <= 600000);
  REQUIRE(store->release("k", ""));  // a completed key stays
  CHECK(pttl(prefix + "k") > 590000);
}

TEST_CASE("Redis store: a closed connection or a flushed script cache costs no failed call") {
  const std::string prefix = test_redis::unique_prefix("reconnect");
  const auto store = open(test_redis::uri(), prefix);
  REQUIRE(store->claim("a", "sha256:a", seconds(60))->state == ClaimState::claimed);
  // Every client connection closes, the store's idle one included (SIGPIPE stays harmless).
  test_redis::command(test_redis::uri(), {"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
  auto after_kill = store->claim("b", "sha256:b", seconds(60));
  INFO((after_kill ? std::string() : after_kill.error().message()));
  REQUIRE(after_kill);
  CHECK(after_kill->state == ClaimState::claimed);
  test_redis::command(test_redis::uri(), {"SCRIPT", "FLUSH"});
  auto after_flush = store->claim("a", "sha256:a", seconds(60));
  REQUIRE(after_flush);
  CHECK(after_flush->state == ClaimState::in_progress);
}

TEST_CASE("Redis store: every idle connection the server closed is replaced, not retried") {
  const std::string prefix = test_redis::unique_prefix("reconnect_all");
  receiver::RedisIdempotencyStoreOptions options = with_prefix(prefix);
  options.connections = 4;
  auto store = receiver::open_redis_idempotency_store(test_redis::uri(), options);
  REQUIRE(store);
  // Four threads at once open four connections, which then wait idle in the pool.
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        const std::string key = std::to_string(t) + ":" + std::to_string(i);
        if (!(*store)->claim(key, "sha256:a", seconds(60))) ++failed;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  REQUIRE(failed == 0);
  test_redis::command(test_redis::uri(), {"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
  for (int i = 0; i < 8; ++i) {
    const auto claimed = (*store)->claim("after:" + std::to_string(i), "sha256:a", seconds(60));
    INFO((claimed ? std::string() : claimed.error().message()));
    CHECK(claimed);
  }
}

TEST_CASE("Redis store: a ttl beyond a century is kept as a century, never negative") {
  const std::string prefix = test_redis::unique_prefix("huge_ttl");
  const auto store = open(test_redis::uri(), prefix);
  REQUIRE(store->claim("k", "sha256:a", seconds::max())->state == ClaimState::claimed);
  const long long ttl = pttl(prefix + "k");
  CHECK(ttl > 99LL * 365 * 24 * 3600 * 1000);
  CHECK(store->claim("k", "sha256:a", seconds(60))->state == ClaimState::in_progress);
}

TEST_CASE("Redis store: a server that does not answer in time is a storage error") {
  const std::string prefix = test_redis::unique_prefix("timeout");
  receiver::RedisIdempotencyStoreOptions options = with_prefix(prefix);
  options.command_timeout = std::chrono::milliseconds(200);
  auto store = receiver::open_redis_idempotency_store(test_redis::uri(), options);
  REQUIRE(store);
  std::thread sleeper([] { test_redis::command(test_redis::uri(), {"DEBUG", "SLEEP", "1.5"}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto started = std::chrono::steady_clock::now();
  const auto claim = (*store)->claim("k", "sha256:a", seconds(60));
  const auto waited = std::chrono::steady_clock::now() - started;
  sleeper.join();
  REQUIRE_FALSE(claim);
  CHECK(claim.error().code() == Errc::storage);
  CHECK(claim.error().message().find("no answer within 200 ms") != std::string::npos);
  CHECK(waited < std::chrono::milliseconds(1200));
  // The server answers again: the next call works on a new connection.
  auto later = (*store)->claim("k2", "sha256:a", seconds(60));
  INFO((later ? std::string() : later.error().message()));
  CHECK(later);
}

TEST_CASE(
    "Redis store: a server that cannot be reached, or refuses the login, is named without "
    "the password") {
  const auto unreachable = receiver::open_redis_idempotency_store("redis://:s3cret@127.0.0.1:1");
  REQUIRE_FALSE(unreachable);
  CHECK(unreachable.error().code() == Errc::storage);
  CHECK(unreachable.error().message().find("redis 127.0.0.1:1") != std::string::npos);
  CHECK(unreachable.error().message().find("s3cret") == std::string::npos);

  // The test server has no password: a login with one is refused.
  const std::string with_password = "redis://:s3cret@" + test_redis::uri().substr(8);
  const auto refused = receiver::open_redis_idempotency_store(with_password);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == Errc::storage);
  CHECK(refused.error().message().find("login refused") != std::string::npos);
  CHECK(refused.error().message().find("s3cret") == std::string::npos);
}
