// The IdempotencyStore contract runs on Redis: each place is a new key prefix on the test suite's
// server (tests/redis); its keys are deleted at the end. Thread-safety: as IdempotencyUnderTest.
#include <memory>
#include <string>

#include "catch.hpp"
#include "chathooks/receiver/redis_idempotency_store.hpp"
#include "idempotency_under_test.hpp"
#include "redis/redis_server.hpp"

namespace idempotency_test {
namespace {

class RedisUnderTest final : public IdempotencyUnderTest {
 public:
  RedisUnderTest() : prefix_(test_redis::unique_prefix("idem")) {}
  RedisUnderTest(const RedisUnderTest&) = delete;
  RedisUnderTest& operator=(const RedisUnderTest&) = delete;
  ~RedisUnderTest() override {
    try {  // A failed clean-up leaves keys that expire by themselves.
      test_redis::command(test_redis::uri(), {"EVAL",
                                              "for _, k in ipairs(redis.call('KEYS', ARGV[1])) do "
                                              "redis.call('DEL', k) end return 1",
                                              "0", prefix_ + "*"});
    } catch (...) {
    }
  }

  std::shared_ptr<chathooks::receiver::IdempotencyStore> open() override {
    chathooks::receiver::RedisIdempotencyStoreOptions options;
    options.key_prefix = prefix_;
    auto store = chathooks::receiver::open_redis_idempotency_store(test_redis::uri(), options);
    INFO((store ? std::string() : store.error().message()));
    REQUIRE(store);
    return *store;
  }

 private:
  std::string prefix_;
};

}  // namespace

std::unique_ptr<IdempotencyUnderTest> make_idempotency_under_test() {
  return std::make_unique<RedisUnderTest>();
}

}  // namespace idempotency_test
