// chathooks_test_postgres start|stop DIR: the ctest fixture "postgres" (tests/postgres/
// CMakeLists.txt); what it does is test_servers::run_fixture_program()
// (tests/servers/fixture_program.hpp).
#include "server_control.hpp"
#include "servers/fixture_program.hpp"

int main(int argc, char** argv) {
  return test_servers::run_fixture_program(test_postgres::server_kind, argc, argv);
}
