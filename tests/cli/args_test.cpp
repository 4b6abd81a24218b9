// Unit tests for the chathooks program's argument parser (cli/args.cpp): the flag forms
// the later subcommands rely on (repeated --secret, switches, --name=value) and every usage
// error it must report rather than guess.
#include <string>
#include <vector>

#include "args.hpp"
#include "catch.hpp"

using chathooks::Errc;
using chathooks_cli::FlagSpec;
using chathooks_cli::parse_args;

namespace {

const std::vector<FlagSpec> kVerifyLike = {
    {"secret", true, true},
    {"id", true, false},
    {"allow-private-addresses", false, false},
};

}  // namespace

TEST_CASE("positional arguments keep their order, - is positional", "[cli][args]") {
  const auto parsed = parse_args({"flw-dispatch", "-"}, {});
  REQUIRE(parsed);
  CHECK(parsed->positionals == std::vector<std::string>{"flw-dispatch", "-"});
  CHECK_FALSE(parsed->help);
}

TEST_CASE("flags with values, repeated flags and switches", "[cli][args]") {
  const auto parsed = parse_args({"--secret", "new", "KIND", "--id=msg_1", "--secret=old",
                                  "--allow-private-addresses", "file.json"},
                                 kVerifyLike);
  REQUIRE(parsed);
  CHECK(parsed->values("secret") == std::vector<std::string>{"new", "old"});
  CHECK(parsed->value("secret") == "new");
  CHECK(parsed->value("id") == "msg_1");
  CHECK(parsed->has("allow-private-addresses"));
  CHECK_FALSE(parsed->has("timeout-ms"));
  CHECK_FALSE(parsed->value("timeout-ms").has_value());
  CHECK(parsed->values("timeout-ms").empty());
  CHECK(parsed->positionals == std::vector<std::string>{"KIND", "file.json"});
}

TEST_CASE("a value may itself start with a dash or be empty", "[cli][args]") {
  const auto parsed = parse_args({"--id", "-5", "--secret="}, kVerifyLike);
  REQUIRE(parsed);
  CHECK(parsed->value("id") == "-5");
  CHECK(parsed->values("secret") == std::vector<std::string>{""});
}

TEST_CASE("--help and -h anywhere set help", "[cli][args]") {
  for (const char* flag : {"--help", "-h"}) {
    const auto parsed = parse_args({"KIND", flag, "FILE"}, {});
    REQUIRE(parsed);
    CHECK(parsed->help);
    CHECK(parsed->positionals == std::vector<std::string>{"KIND", "FILE"});
  }
}

TEST_CASE("a -- makes every later word positional", "[cli][args]") {
  const auto parsed = parse_args({"--id", "a", "--", "--id", "-x", "--help"}, kVerifyLike);
  REQUIRE(parsed);
  CHECK_FALSE(parsed->help);
  CHECK(parsed->value("id") == "a");
  CHECK(parsed->positionals == std::vector<std::string>{"--id", "-x", "--help"});
}

TEST_CASE("usage errors name what is wrong", "[cli][args]") {
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const std::vector<Case> cases = {
      {{"--bogus"}, "unknown flag --bogus"},
      {{"--bogus=1"}, "unknown flag --bogus"},
      {{"-x"}, "unknown flag -x"},
      {{"--id"}, "--id needs a value"},
      {{"--id", "a", "--id", "b"}, "--id given more than once"},
      {{"--allow-private-addresses=yes"}, "--allow-private-addresses takes no value"},
      {{"--allow-private-addresses", "--allow-private-addresses"},
       "--allow-private-addresses given more than once"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    const auto parsed = parse_args(c.args, kVerifyLike);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code() == Errc::invalid_argument);
    CHECK(parsed.error().message() == c.message);
  }
}

TEST_CASE("a subcommand without flags refuses every flag but --help", "[cli][args]") {
  const auto parsed = parse_args({"KIND", "--secret", "x"}, {});
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().message() == "unknown flag --secret");
}
