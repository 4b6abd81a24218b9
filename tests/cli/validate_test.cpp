// Tests of `chathooks validate` against docs/cli.md: the built binary run as a child process, with
// its exit status, stdout and stderr checked separately, on every test vector and on input that
// is wrong in each way the contract names (type errors, syntax errors, empty, binary garbage,
// too large, unreadable files, bad command lines), strict and with --tolerant (off-type members
// kept as they came, one warning line each).
#include <cstddef>
#include <cstdint>
#include <random>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "cli_test_support.hpp"

using chathooks::Json;
using namespace chathooks_test;

namespace {

// Every vector in tests/data with the KIND that decodes it.
const std::vector<std::pair<const char*, const char*>> kVectors = {
    {"flw_dispatch.json", "flw-dispatch"},
    {"flw_response_simple.json", "flw-response"},
    {"flw_response_contact.json", "flw-response"},
    {"flw_response_messages.json", "flw-response"},
    {"boticario_message_event.json", "boticario-event"},
    {"boticario_status_sent.json", "boticario-event"},
    {"boticario_status_delivered.json", "boticario-event"},
    {"boticario_status_read.json", "boticario-event"},
    {"cliengo_request.json", "cliengo-request"},
    {"cliengo_response.json", "cliengo-response"},
};

const std::vector<const char*> kKinds = {"flw-dispatch", "flw-response", "boticario-event",
                                         "cliengo-request", "cliengo-response"};

// The success form: exit 0, nothing on stderr, one line of compact JSON on stdout that is
// semantically equal to `input`.
void check_valid(const ProcessResult& r, const std::string& input) {
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  REQUIRE(!r.out.empty());
  CHECK(r.out.back() == '\n');
  CHECK(count_lines(r.out) == 1);
  const auto output = Json::parse(std::string_view(r.out).substr(0, r.out.size() - 1));
  REQUIRE(output);
  const auto expected = Json::parse(input);
  REQUIRE(expected);
  CHECK(*output == *expected);
  // Compact: dumping the parsed output again gives the same bytes.
  CHECK(output->dump() + "\n" == r.out);
}

// The failure form (check_failure()), its one line ended by a newline.
void check_invalid(const ProcessResult& r) {
  check_failure(r);
  INFO(describe(r));
  CHECK(!r.err.empty());
  CHECK(r.err.back() == '\n');
}

// The usage-error form: the reason, then validate's usage on stderr.
void check_usage(const ProcessResult& r, const std::string& reason) {
  check_usage_error(r, "error: " + reason + "\n",
                    "usage: chathooks validate KIND [FILE] [--tolerant]\n");
}

// A string literal's bytes, NULs included.
template <std::size_t N>
std::string bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

// `text` with the first occurrence of `from` replaced; the test data must contain `from`.
std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("validate prints every vector as equal compact JSON, from a file", "[cli][validate]") {
  for (const auto& [file, kind] : kVectors) {
    INFO(file);
    check_valid(run_cli({"validate", kind, data_path(file)}), read_file(data_path(file)));
  }
}

TEST_CASE("validate reads standard input when FILE is omitted or -", "[cli][validate]") {
  for (const auto& [file, kind] : kVectors) {
    INFO(file);
    const std::string input = read_file(data_path(file));
    check_valid(run_cli({"validate", kind}, input), input);
    check_valid(run_cli({"validate", kind, "-"}, input), input);
    check_valid(run_cli({"validate", kind, "--", "-"}, input), input);
  }
}

TEST_CASE("validate keeps unknown members, nulls and exact numbers", "[cli][validate]") {
  const std::string input =
      R"({"response":"A","x-new":{"big":18446744073709551615,"neg":-9223372036854775808,)"
      R"("z":null,"e":[]},"metadata":{"k":null},"contact":{"cnpj":"00.000"}})";
  const auto r = run_cli({"validate", "flw-response"}, input);
  check_valid(r, input);
  CHECK(r.out.find("18446744073709551615") != std::string::npos);
  CHECK(r.out.find("-9223372036854775808") != std::string::npos);
  CHECK(r.out.find(R"("z":null)") != std::string::npos);
}

TEST_CASE("validate names the member with the wrong type", "[cli][validate]") {
  const std::string input =
      replace_once(read_file(data_path("flw_dispatch.json")), R"("Lead")", R"("Lead", 5)");
  const auto r = run_cli({"validate", "flw-dispatch"}, input);
  INFO(describe(r));
  CHECK(r.exited);
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err == "error: /contact/tags/1: expected string, got number\n");
}

TEST_CASE("validate reports a syntax error at the root with its byte offset", "[cli][validate]") {
  const std::regex form(R"(error: : syntax error at byte ([0-9]+): [^\n]+\n)");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{} x", "3"},          // trailing garbage after a complete document
      {"   ", "3"},           // whitespace only
      {"\xEF\xBB\xBF", "3"},  // a byte order mark and nothing else
  };
  for (const auto& [input, offset] : cases) {
    INFO(input);
    const auto r = run_cli({"validate", "flw-response"}, input);
    check_invalid(r);
    std::smatch match;
    REQUIRE(std::regex_match(r.err, match, form));
    CHECK(match[1] == offset);
  }
}

TEST_CASE("validate rejects empty input with a syntax error at byte 0", "[cli][validate]") {
  for (const char* kind : kKinds) {
    INFO(kind);
    const auto r = run_cli({"validate", kind}, "");
    check_invalid(r);
    CHECK(r.err.rfind("error: : syntax error at byte 0: ", 0) == 0);
  }
}

TEST_CASE("validate keeps a diagnostic on one line whatever the member names hold",
          "[cli][validate]") {
  // A type error under a question whose id (a map key the sender chooses) holds a newline and
  // a NUL: the pointer names it, escaped, on the one line.
  const std::string input = R"({"questions":{"q\nx\u0000y":{"text":5}}})";
  const auto r = run_cli({"validate", "flw-dispatch"}, input);
  check_invalid(r);
  CHECK(r.err == R"(error: /questions/q\nx\u0000y/text: expected string, got number)"
                 "\n");
}

TEST_CASE("validate rejects binary garbage with one error line, never a crash", "[cli][validate]") {
  std::mt19937 random(20240627);  // fixed seed: the same bytes on every run
  std::vector<std::string> inputs = {
      std::string(1, '\0'),
      std::string(4096, '\0'),
      "\xFF\xFE\xFD",
      "{\"response\":\"\xC3\x28\"}",      // invalid UTF-8 in a string
      bytes("{\"response\":\"A\"}\0\""),  // a NUL after a complete document
      bytes("{\"response\":\"A\"\0}"),    // a NUL inside the object
      std::string(100000, '['),           // nesting far past the depth limit
  };
  for (int i = 0; i < 6; ++i) {
    std::string noise(static_cast<std::size_t>(1 + random() % 3000), '\0');
    for (char& c : noise) c = static_cast<char>(random() & 0xFF);
    inputs.push_back(std::move(noise));
  }
  for (const char* kind : kKinds) {
    for (const std::string& input : inputs) {
      INFO(kind << ", input of " << input.size() << " bytes starting " << input.substr(0, 16));
      check_invalid(run_cli({"validate", kind}, input));
    }
  }
}

TEST_CASE("validate answers every mutation of a vector with success or one error line",
          "[cli][validate]") {
  std::mt19937 random(7);
  for (const auto& [file, kind] : kVectors) {
    const std::string original = read_file(data_path(file));
    for (int i = 0; i < 4; ++i) {
      std::string input = original;
      for (int flips = 0; flips < 3; ++flips) {
        input[random() % input.size()] = static_cast<char>(random() & 0xFF);
      }
      INFO(file << " mutated: " << input);
      const auto r = run_cli({"validate", kind}, input);
      REQUIRE(r.exited);
      if (r.exit_code == 0) {
        check_valid(r, input);
      } else {
        check_invalid(r);
      }
    }
  }
}

TEST_CASE("validate refuses input larger than the parse limit without reading it all",
          "[cli][validate]") {
  const std::size_t limit = chathooks::ParseOptions{}.max_bytes;
  // Exactly the limit is accepted: a valid document padded with spaces.
  const std::string document = R"({"response":"A"})";
  std::string at_limit(limit - document.size(), ' ');
  at_limit += document;
  check_valid(run_cli({"validate", "flw-response"}, at_limit), document);
  // One byte more is refused before decoding.
  at_limit.push_back(' ');
  const auto r = run_cli({"validate", "flw-response"}, at_limit);
  check_invalid(r);
  CHECK(r.err ==
        "error: : input is larger than the limit of " + std::to_string(limit) + " bytes\n");
}

TEST_CASE("validate reports a file it cannot read with exit 1", "[cli][validate]") {
  const std::string missing = data_path("no_such_file.json");
  auto r = run_cli({"validate", "flw-dispatch", missing});
  check_invalid(r);
  CHECK(r.err == "error: cannot open " + missing + ": No such file or directory\n");

  r = run_cli({"validate", "flw-dispatch", CHATHOOKS_TEST_DATA_DIR});
  check_invalid(r);
  CHECK(r.err.rfind(std::string("error: cannot read ") + CHATHOOKS_TEST_DATA_DIR + ": ", 0) == 0);
}

TEST_CASE("validate --help prints the usage on stdout and exits 0", "[cli][validate]") {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"validate", "--help"},
                                               {"validate", "-h"},
                                               {"validate", "flw-dispatch", "--help"},
                                               {"validate", "not-a-kind", "x", "y", "--help"}}) {
    const auto r = run_cli(args);
    INFO(describe(r));
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.rfind("usage: chathooks validate KIND [FILE] [--tolerant]\n", 0) == 0);
    CHECK(r.out.find("--tolerant ") != std::string::npos);
    for (const char* kind : kKinds) CHECK(r.out.find(kind) != std::string::npos);
  }
}

TEST_CASE("validate reports command-line mistakes as usage errors (exit 2)", "[cli][validate]") {
  const std::string file = data_path("flw_dispatch.json");
  check_usage(run_cli({"validate"}), "missing KIND");
  check_usage(run_cli({"validate", "flw-dispatches", file}), "unknown KIND flw-dispatches");
  check_usage(run_cli({"validate", "FLW-DISPATCH", file}), "unknown KIND FLW-DISPATCH");
  check_usage(run_cli({"validate", "flw-dispatch", file, "extra"}), "unexpected argument extra");
  check_usage(run_cli({"validate", "flw-dispatch", "--bogus", file}), "unknown flag --bogus");
  check_usage(run_cli({"validate", "-x", "flw-dispatch"}), "unknown flag -x");
  // A usage error wins over reading: the payload on stdin is not consumed or judged.
  check_usage(run_cli({"validate", "nope"}, "{not json"), "unknown KIND nope");
}

namespace {

// A documented vector with one member's value changed to an unexpected type or format, the
// KIND that decodes it and the JSON Pointer of that member.
struct OffTypeCase {
  const char* file;
  const char* kind;
  std::string from;
  std::string to;
  std::string pointer;
};

const std::vector<OffTypeCase> kOffType = {
    // An integer member written with a fraction.
    {"cliengo_response.json", "cliengo-response", R"("flow": 5)", R"("flow": 5.0)",
     "/response/flow"},
    // Timestamps without a zone.
    {"flw_dispatch.json", "flw-dispatch", R"("2024-06-02T12:00:10.38771Z")",
     R"("2024-06-02T12:00:10.38771")", "/session/createdAt"},
    {"boticario_message_event.json", "boticario-event", R"("2020-01-09T19:35:36.639Z")",
     R"("2020-01-09T19:35:36.639")", "/message/createdAt"},
    // A null inside an array of strings.
    {"flw_dispatch.json", "flw-dispatch", R"("Lead")", R"("Lead", null)", "/contact/tags/1"},
};

}  // namespace

TEST_CASE("validate is strict by default: an off-type member fails with its pointer",
          "[cli][validate]") {
  for (const auto& c : kOffType) {
    const std::string input = replace_once(read_file(data_path(c.file)), c.from, c.to);
    INFO(c.file << ": " << c.to);
    const auto r = run_cli({"validate", c.kind}, input);
    check_invalid(r);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.rfind("error: " + c.pointer + ": ", 0) == 0);
  }
}

TEST_CASE("validate --tolerant keeps an off-type member as it came and warns on stderr",
          "[cli][validate]") {
  for (const auto& c : kOffType) {
    const std::string input = replace_once(read_file(data_path(c.file)), c.from, c.to);
    INFO(c.file << ": " << c.to);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"validate", c.kind, "--tolerant"},
          {"validate", "--tolerant", c.kind, "-"}}) {
      const auto r = run_cli(args, input);
      INFO(describe(r));
      REQUIRE(r.exited);
      CHECK(r.exit_code == 0);
      // The input compacted: same members in the same order, the off-type value unchanged.
      const auto compacted = Json::parse(input);
      REQUIRE(compacted);
      CHECK(r.out == compacted->dump() + "\n");
      // One warning line naming the member, nothing else.
      const auto err = lines(r.err);
      REQUIRE(err.size() == 1);
      CHECK(err[0].rfind("warning: " + c.pointer + ": ", 0) == 0);
      CHECK(err[0].size() > std::string("warning: " + c.pointer + ": ").size());
    }
  }
}

TEST_CASE("validate --tolerant prints one warning per off-type member, in order",
          "[cli][validate]") {
  std::string input = read_file(data_path("flw_dispatch.json"));
  input = replace_once(input, R"("2024-06-02T12:00:10.38771Z")", R"("2024-06-02 12:00")");
  input = replace_once(input, R"("Lead")", R"(7)");
  const auto r = run_cli({"validate", "flw-dispatch", "--tolerant"}, input);
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(r.out == Json::parse(input)->dump() + "\n");
  const auto err = lines(r.err);
  REQUIRE(err.size() == 2);
  CHECK(err[0].rfind("warning: /session/createdAt: ", 0) == 0);
  CHECK(err[1] == "warning: /contact/tags/0: expected string, got number");
}

TEST_CASE("validate --tolerant prints a valid vector with no warning", "[cli][validate]") {
  for (const auto& [file, kind] : kVectors) {
    INFO(file);
    const std::string input = read_file(data_path(file));
    const auto r = run_cli({"validate", kind, data_path(file), "--tolerant"});
    check_valid(r, input);
    // The input compacted, member order and number spelling included.
    CHECK(r.out == Json::parse(input)->dump() + "\n");
  }
}

TEST_CASE("validate --tolerant still fails on malformed JSON, a non-object root and limits",
          "[cli][validate]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"response\":", "error: /response: syntax error at byte 12: "},
      {"", "error: : syntax error at byte 0: "},
      {"[]", "error: : "},
      {"null", "error: : "},
      {R"({"response":"A","response":"B"})", "error: /response: "},
      {std::string(1000, '[') + std::string(1000, ']'), "error: "},
  };
  for (const auto& [input, opening] : cases) {
    INFO(input.substr(0, 40));
    const auto r = run_cli({"validate", "flw-response", "--tolerant"}, input);
    check_invalid(r);
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.rfind(opening, 0) == 0);
    CHECK(r.err.find("warning:") == std::string::npos);
  }
}

TEST_CASE("validate --tolerant takes no value", "[cli][validate]") {
  check_usage(run_cli({"validate", "flw-dispatch", "--tolerant=yes"}, "{}"),
              "--tolerant takes no value");
}
