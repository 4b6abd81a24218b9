// test_postgres::uri(): the fixture's shared server, else a private one for this process.
#include "postgres_server.hpp"

#include "server_control.hpp"
#include "servers/process_server.hpp"

#ifndef CHATHOOKS_TEST_POSTGRES_DIR
#error "CHATHOOKS_TEST_POSTGRES_DIR (the ctest fixture's directory) must be defined"
#endif

namespace test_postgres {

const std::string& uri() {
  static const test_servers::ProcessServer server(server_kind, CHATHOOKS_TEST_POSTGRES_DIR);
  return server.info().uri;
}

}  // namespace test_postgres
