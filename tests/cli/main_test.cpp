// Tests of the chathooks program's top level: --help, --version and command dispatch, run as a
// child process with stdout and stderr checked separately.
#include <string>

#include "catch.hpp"
#include "chathooks/version.hpp"
#include "cli_test_support.hpp"

using chathooks_test::describe;
using chathooks_test::run_cli;

TEST_CASE("chathooks --help prints the usage on stdout and exits 0", "[cli]") {
  for (const char* flag : {"--help", "-h", "help"}) {
    const auto r = run_cli({flag});
    INFO(describe(r));
    CHECK(r.exited);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.rfind("usage: chathooks <command> [arguments]\n", 0) == 0);
    CHECK(r.out.find("validate KIND [FILE]") != std::string::npos);
  }
}

TEST_CASE("chathooks --version prints the library version", "[cli]") {
  const auto r = run_cli({"--version"});
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out == std::string("chathooks ") + chathooks::version_string + "\n");
}

TEST_CASE("chathooks without a command, or with an unknown one, is a usage error", "[cli]") {
  struct Case {
    std::vector<std::string> args;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {{}, "error: missing command\n"},
      {{"frobnicate"}, "error: unknown command frobnicate\n"},
      {{"--bogus"}, "error: unknown flag --bogus\n"},
      {{"--version", "extra"}, "error: unexpected argument extra\n"},
      {{"--help", "extra"}, "error: unexpected argument extra\n"},
  };
  for (const Case& c : cases) {
    const auto r = run_cli(c.args);
    INFO(describe(r));
    CHECK(r.exited);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind(c.reason, 0) == 0);
    CHECK(r.err.find("usage: chathooks <command>") != std::string::npos);
  }
}
