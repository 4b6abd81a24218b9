// Tests of `chathooks demo` against docs/cli.md: the built binary run as a child process, which
// starts its own receivers on 127.0.0.1 and sends them the documented payloads. Checks the exit
// status, that every step reached the trace (the Flw branch, the Cliengo override, the retry
// in two attempts, the refused tampered request, the duplicate) and the summary line, the
// usage errors, and that the payloads the demo embeds are the documented vectors byte for byte.
#include <regex>
#include <string>
#include <vector>

#include "catch.hpp"
#include "cli_test_support.hpp"
#include "demo_payloads.hpp"

using chathooks_test::data_path;
using chathooks_test::describe;
using chathooks_test::read_file;
using chathooks_test::run_cli;

namespace {

// The trace line of the step whose text (after the time prefix) starts with `step`; "" if none.
std::string step_line(const std::vector<std::string>& lines, const std::string& step) {
  static const std::regex prefix(R"(\[ *[0-9]+ ms\] )");
  for (const std::string& line : lines) {
    std::smatch match;
    if (std::regex_search(line, match, prefix, std::regex_constants::match_continuous) &&
        line.compare(static_cast<std::size_t>(match.length()), step.size(), step) == 0)
      return line;
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("demo runs every step on loopback and exits 0", "[cli][demo]") {
  const auto r = run_cli({"demo"});
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  const std::vector<std::string> lines = chathooks_test::lines(r.out);
  REQUIRE(!lines.empty());

  // Every line is a step ("[  12 ms] ...") or one of its indented details.
  for (const std::string& line : lines) {
    INFO(line);
    CHECK(std::regex_match(line, std::regex(R"((\[ *[0-9]+ ms\] |          \S).*)")));
  }
  CHECK(std::regex_match(lines.back(),
                         std::regex(R"(\[ *[0-9]+ ms\] all 8 steps behaved as expected)")));

  CHECK(contains(step_line(lines, "receivers: "), "listening"));
  const std::string flw = step_line(lines, "flw: ");
  CHECK(contains(flw, "delivered in 1 attempt (200)"));
  CHECK(contains(flw, "branch CLIENTE_EXISTE"));
  CHECK(contains(flw, "3 messages"));
  CHECK(contains(r.out, "message 1: text \"Segue seu boleto abaixo para pagamento."));
  CHECK(contains(r.out, "message 2: file https://xyz.com/boleto.pdf"));
  CHECK(contains(r.out, "message 3: template ab78cd_oferta"));
  const std::string cliengo = step_line(lines, "cliengo: ");
  CHECK(contains(cliengo, "override: say \"Thanks, ariel!\""));
  CHECK(contains(cliengo, "jump to question 4"));
  CHECK(contains(step_line(lines, "boticario: message event"),
                 "type response, text \"Mensagem de teste\""));
  CHECK(contains(step_line(lines, "boticario: status event"), "type status, status delivered"));
  CHECK(contains(step_line(lines, "retry: "), "delivered in 2 attempts (503, 200)"));
  CHECK(contains(r.out, "attempt 1: 503 with Retry-After: 0"));
  CHECK(contains(r.out, "attempt 2: 200"));
  const std::string tampered = step_line(lines, "tampered: ");
  CHECK(contains(tampered, "refused with 401 (application/problem+json)"));
  CHECK(std::regex_search(r.out, std::regex("detail: \"[^\"]+\"; the handler did not run")));
  CHECK(contains(step_line(lines, "replay: "), "handler ran once"));
  CHECK(contains(r.out, "answered as a duplicate"));
}

TEST_CASE("demo --help prints the usage on stdout and exits 0", "[cli][demo]") {
  for (const char* flag : {"--help", "-h"}) {
    const auto r = run_cli({"demo", flag});
    INFO(describe(r));
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.rfind("usage: chathooks demo\n", 0) == 0);
    CHECK(contains(r.out, "Exit status:"));
  }
}

TEST_CASE("demo takes no arguments: any is a usage error", "[cli][demo]") {
  struct Case {
    std::vector<std::string> args;
    const char* reason;
  };
  const std::vector<Case> cases = {
      {{"demo", "extra"}, "error: unexpected argument extra\n"},
      {{"demo", "-"}, "error: unexpected argument -\n"},
      {{"demo", "--bogus"}, "error: unknown flag --bogus\n"},
      {{"demo", "--port", "8080"}, "error: unknown flag --port\n"},
  };
  for (const Case& c : cases) {
    const auto r = run_cli(c.args);
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind(c.reason, 0) == 0);
    CHECK(contains(r.err, "usage: chathooks demo"));
  }
}

TEST_CASE("the payloads the demo embeds are the documented vectors byte for byte", "[cli][demo]") {
  namespace payloads = chathooks_cli::demo_payloads;
  CHECK(payloads::kFlwDispatch == read_file(data_path("flw_dispatch.json")));
  CHECK(payloads::kFlwResponseMessages == read_file(data_path("flw_response_messages.json")));
  CHECK(payloads::kCliengoRequest == read_file(data_path("cliengo_request.json")));
  CHECK(payloads::kBoticarioMessageEvent == read_file(data_path("boticario_message_event.json")));
  CHECK(payloads::kBoticarioStatusDelivered ==
        read_file(data_path("boticario_status_delivered.json")));
  CHECK(payloads::kBoticarioStatusRead == read_file(data_path("boticario_status_read.json")));
}
