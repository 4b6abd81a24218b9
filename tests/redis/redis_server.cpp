// test_redis::uri(), unix_socket() and unique_prefix(): the fixture's shared server, else a
// private one for this process.
#include "redis_server.hpp"

#include "redis_control.hpp"
#include "servers/process_server.hpp"
#include "servers/unique_suffix.hpp"

#ifndef CHATHOOKS_TEST_REDIS_DIR
#error "CHATHOOKS_TEST_REDIS_DIR (the ctest fixture's directory) must be defined"
#endif

namespace test_redis {
namespace {

const test_servers::ServerInfo& server() {
  static const test_servers::ProcessServer server(server_kind, CHATHOOKS_TEST_REDIS_DIR);
  return server.info();
}

}  // namespace

const std::string& uri() { return server().uri; }

const std::string& unix_socket() {
  static const std::string path = socket_path(server().dir);
  return path;
}

std::string unique_prefix(std::string_view name) {
  return std::string(name) + test_servers::unique_suffix(':') + ":";
}

}  // namespace test_redis
