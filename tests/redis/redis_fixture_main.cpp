// chathooks_test_redis start|stop DIR: the ctest fixture "redis" (tests/redis/CMakeLists.txt);
// what it does is test_servers::run_fixture_program() (tests/servers/fixture_program.hpp).
#include "redis_control.hpp"
#include "servers/fixture_program.hpp"

int main(int argc, char** argv) {
  return test_servers::run_fixture_program(test_redis::server_kind, argc, argv);
}
