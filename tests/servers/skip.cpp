// test_servers::servers_required() and skip_or_throw() (skip.hpp).
#include "skip.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace test_servers {

bool servers_required() {
  const char* value = std::getenv("CHATHOOKS_REQUIRE_SERVERS");
  return value && *value;
}

void skip_or_throw(const std::string& reason) {
  if (servers_required()) {
    throw std::runtime_error(reason + "; $CHATHOOKS_REQUIRE_SERVERS is set, so this fails");
  }
  std::fprintf(stderr, "SKIPPED: %s\n", reason.c_str());
  std::fflush(stderr);
  std::exit(skip_status);
}

}  // namespace test_servers
