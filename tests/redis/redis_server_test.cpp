// The Redis test support itself: a real server answers over TCP and its unix socket, command()
// turns replies into text, unique prefixes differ, and a private server starts and stops.
#include <filesystem>
#include <stdexcept>
#include <string>

#include "catch.hpp"
#include "redis/redis_control.hpp"
#include "redis/redis_process.hpp"
#include "redis/redis_server.hpp"

TEST_CASE("the test server answers PING over TCP and over its unix socket") {
  const std::string& uri = test_redis::uri();
  CHECK(uri.rfind("redis://127.0.0.1:", 0) == 0);
  CHECK(uri != "redis://127.0.0.1:6379");
  CHECK(&test_redis::uri() == &uri);
  CHECK(test_redis::command(uri, {"PING"}) == "PONG");
  CHECK(test_redis::command(test_redis::unix_socket(), {"PING"}) == "PONG");
  // The same server on both.
  const std::string key = test_redis::unique_prefix("support_test") + "both";
  CHECK(test_redis::command(uri, {"SET", key, "over tcp", "PX", "60000"}) == "OK");
  CHECK(test_redis::command(test_redis::unix_socket(), {"GET", key}) == "over tcp");
  CHECK(test_redis::command(uri, {"DEL", key}) == "1");
}

TEST_CASE("command returns each kind of reply as text") {
  const std::string& uri = test_redis::uri();
  const std::string prefix = test_redis::unique_prefix("support_test");
  CHECK(test_redis::command(uri, {"GET", prefix + "missing"}) == "(nil)");
  CHECK(test_redis::command(uri, {"PTTL", prefix + "missing"}) == "-2");
  CHECK(test_redis::command(uri, {"SET", prefix + "k", "a\nb c", "PX", "60000"}) == "OK");
  CHECK(test_redis::command(uri, {"GET", prefix + "k"}) == "a\nb c");
  const long long ttl = std::stoll(test_redis::command(uri, {"PTTL", prefix + "k"}));
  CHECK(ttl > 0);
  CHECK(ttl <= 60000);
  CHECK(test_redis::command(uri, {"RPUSH", prefix + "list", "x", "", "z"}) == "3");
  CHECK(test_redis::command(uri, {"LRANGE", prefix + "list", "0", "-1"}) == "x\n\nz\n");
  CHECK(test_redis::command(uri, {"DEL", prefix + "k", prefix + "list"}) == "2");
  CHECK(test_redis::command(uri, {"DEBUG", "SLEEP", "0"}) == "OK");
  CHECK_THROWS_AS(test_redis::command(uri, {"NO_SUCH_COMMAND"}), std::runtime_error);
  CHECK_THROWS_AS(test_redis::command(uri, {}), std::invalid_argument);
  CHECK_THROWS_AS(test_redis::command("127.0.0.1:6379", {"PING"}), std::invalid_argument);
  CHECK_THROWS_AS(test_redis::command("redis://127.0.0.1:x", {"PING"}), std::invalid_argument);
}

TEST_CASE("unique prefixes differ") {
  const std::string first = test_redis::unique_prefix("name");
  const std::string second = test_redis::unique_prefix("name");
  CHECK(first != second);
  for (const std::string& prefix : {first, second}) {
    CHECK(prefix.rfind("name:", 0) == 0);
    CHECK(prefix.back() == ':');
  }
}

TEST_CASE("a private server starts, answers and stops") {
  static_cast<void>(test_redis::uri());  // skips the program when there is no redis-server
  const test_servers::ServerKind& redis = test_redis::server_kind;
  std::string searched;
  const auto bindir = redis.find_bindir(searched);
  REQUIRE(bindir);
  const test_servers::ServerInfo server = redis.start_server(*bindir);
  CHECK(server.uri != test_redis::uri());
  CHECK(test_redis::answers(server.uri));
  CHECK(test_redis::answers(test_redis::socket_path(server.dir)));
  const auto pid = test_redis::read_pidfile(server.dir + "/redis.pid");
  REQUIRE(pid);
  CHECK(test_redis::is_live_redis_server(*pid));
  redis.stop_server(server.dir, server.bindir);
  CHECK_FALSE(test_redis::is_live_redis_server(*pid));
  CHECK_FALSE(std::filesystem::exists(server.dir));
  CHECK_FALSE(test_redis::answers(server.uri));
  // Stopping again (nothing runs, no directory) is harmless.
  CHECK_NOTHROW(redis.stop_server(server.dir, server.bindir));
}
