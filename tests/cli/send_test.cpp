// Tests of `chathooks send` against docs/cli.md: the built binary run as a child process against a
// cpp-httplib server on 127.0.0.1 started in the test. Covers the three request kinds with the
// documented vectors, the per-attempt stderr lines, retries, failures and their exit status,
// signing, the refusal of loopback without --allow-private-addresses, and usage errors.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/cliengo/codec.hpp"
#include "chathooks/flw/codec.hpp"
#include "chathooks/json.hpp"
#include "chathooks/signing/verifier.hpp"
#include "cli_test_support.hpp"
#include "http/test_server.hpp"

using namespace chathooks_test;

namespace {

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// `attempt N: STATUS (D ms)`.
bool is_status_line(const std::string& line, int number, int status) {
  return std::regex_match(line, std::regex("attempt " + std::to_string(number) + ": " +
                                           std::to_string(status) + " \\([0-9]+ ms\\)"));
}

// Answers `status` with `body` at `path`, counting the requests.
void answer(TestServer& server, const std::string& path, int status, std::string body,
            std::atomic<int>* calls = nullptr) {
  server.server().Post(path,
                       [status, body, calls](const httplib::Request&, httplib::Response& response) {
                         if (calls != nullptr) ++*calls;
                         response.status = status;
                         if (!body.empty()) response.set_content(body, "application/json");
                       });
}

}  // namespace

TEST_CASE("send flw-dispatch prints the outcome and one stderr line per attempt", "[cli][send]") {
  TestServer server;
  std::mutex mutex;
  std::vector<std::string> bodies;
  server.server().Post("/flw", [&](const httplib::Request& request, httplib::Response& response) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      bodies.push_back(request.body);
    }
    response.status = 200;
    response.set_content(read_file(data_path("flw_response_contact.json")), "application/json");
  });
  server.start();

  const ProcessResult r = run_cli({"send", "flw-dispatch", server.url("/flw"),
                                   data_path("flw_dispatch.json"), "--allow-private-addresses"});
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(count_lines(r.out) == 1);
  CHECK(parse(r.out) == parse(R"({"branch":"response_key","response":"CLIENTE_EXISTE",
      "contact":{"cnpj":"00.000.000/0000-00","metadata":{"cod-ext":"abcd"}},
      "metadata":{"cliente-existe":true},"messages":[]})"));
  const auto err = lines(r.err);
  REQUIRE(err.size() == 1);
  CHECK(is_status_line(err[0], 1, 200));

  std::lock_guard<std::mutex> lock(mutex);
  REQUIRE(bodies.size() == 1);
  // What went out is the documented dispatch, decoded and encoded by the SDK.
  CHECK(parse(bodies[0]) == parse(read_file(data_path("flw_dispatch.json"))));
}

TEST_CASE("send flw-dispatch reads an off answer and prints a warning line for it", "[cli][send]") {
  TestServer server;
  // A member of an unexpected type: the rest of the answer counts, the member is named.
  answer(server, "/off-member", 200,
         R"({"response":{"key":"x"},"contact":"D","metadata":{"n":1},"messages":[{"text":"oi"}]})");
  // HTTP 200 with a body that is not JSON: the main flow, as for an empty body.
  server.server().Post("/ok", [](const httplib::Request&, httplib::Response& response) {
    response.status = 200;
    response.set_content("OK", "text/plain");
  });
  answer(server, "/array", 200, "[]");
  server.start();
  const std::string dispatch = data_path("flw_dispatch.json");

  SECTION("off-type response and contact: the main flow, the rest of the answer kept") {
    const ProcessResult r = run_cli(
        {"send", "flw-dispatch", server.url("/off-member"), dispatch, "--allow-private-addresses"});
    INFO(describe(r));
    CHECK(r.exit_code == 0);
    CHECK(count_lines(r.out) == 1);
    // The contact that is not an object is shown as it came.
    CHECK(r.out == R"({"branch":"main","response":null,"contact":"D","metadata":{"n":1},)"
                   R"("messages":[{"text":"oi"}]})"
                   "\n");
    const auto err = lines(r.err);
    REQUIRE(err.size() == 3);
    CHECK(is_status_line(err[0], 1, 200));
    CHECK(err[1] == "warning: /response: expected string, got object");
    CHECK(err[2].rfind("warning: /contact: expected object, got string", 0) == 0);
  }
  SECTION("a body that is not JSON, or not an object: the main flow") {
    for (const char* path : {"/ok", "/array"}) {
      const ProcessResult r = run_cli(
          {"send", "flw-dispatch", server.url(path), dispatch, "--allow-private-addresses"});
      INFO(describe(r));
      CHECK(r.exit_code == 0);
      CHECK(r.out == R"({"branch":"main","response":null,"messages":[]})"
                     "\n");
      const auto err = lines(r.err);
      REQUIRE(err.size() == 2);
      CHECK(is_status_line(err[0], 1, 200));
      if (std::string(path) == "/ok") {
        CHECK(err[1].rfind("warning: : the answer's body is not JSON (syntax error at byte 0", 0) ==
              0);
      } else {
        CHECK(err[1] ==
              "warning: : the answer's body is an array, not an object: the main flow "
              "follows");
      }
    }
  }
}

TEST_CASE("send refuses loopback without --allow-private-addresses", "[cli][send]") {
  TestServer server;
  std::atomic<int> calls{0};
  answer(server, "/flw", 200, "", &calls);
  server.start();
  for (const char* kind : {"flw-dispatch", "cliengo-request", "boticario-event"}) {
    const std::string file = std::string(kind) == "flw-dispatch" ? "flw_dispatch.json"
                             : std::string(kind) == "cliengo-request"
                                 ? "cliengo_request.json"
                                 : "boticario_status_sent.json";
    const ProcessResult r = run_cli({"send", kind, server.url("/flw"), data_path(file)});
    INFO(describe(r));
    REQUIRE(r.exited);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    const auto err = lines(r.err);
    REQUIRE_FALSE(err.empty());
    CHECK(err.back().rfind("error: blocked_destination: ", 0) == 0);
    CHECK(err.size() == 2);  // The attempt, then the reason.
    CHECK(err[0].rfind("attempt 1: blocked_destination: ", 0) == 0);
  }
  CHECK(calls == 0);

  // localhost by name too.
  const ProcessResult named =
      run_cli({"send", "flw-dispatch", "http://localhost:" + std::to_string(server.port()) + "/flw",
               data_path("flw_dispatch.json")});
  INFO(describe(named));
  CHECK(named.exit_code == 1);
  CHECK(named.err.find("error: blocked_destination: ") != std::string::npos);
  CHECK(calls == 0);
}

TEST_CASE("send retries 500 twice then succeeds, reports every attempt", "[cli][send]") {
  TestServer server;
  std::atomic<int> calls{0};
  server.server().Post("/flaky", [&](const httplib::Request&, httplib::Response& response) {
    response.status = ++calls <= 2 ? 500 : 200;
  });
  server.start();
  const ProcessResult r =
      run_cli({"send", "flw-dispatch", server.url("/flaky"), "--allow-private-addresses"},
              read_file(data_path("flw_dispatch.json")));
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"branch\":\"main\",\"response\":null,\"messages\":[]}\n");
  const auto err = lines(r.err);
  REQUIRE(err.size() == 3);
  CHECK(is_status_line(err[0], 1, 500));
  CHECK(is_status_line(err[1], 2, 500));
  CHECK(is_status_line(err[2], 3, 200));
  CHECK(calls == 3);
}

TEST_CASE("send prints each attempt line as the attempt ends, not at the end", "[cli][send]") {
  TestServer server;
  std::atomic<int> calls{0};
  std::mutex mutex;
  std::condition_variable changed;
  bool release = false;
  server.server().Post("/slow", [&](const httplib::Request&, httplib::Response& response) {
    if (++calls == 1) {
      response.status = 503;
      return;
    }
    // The second attempt waits until the test saw the first one's line.
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(30), [&] { return release; });
    response.status = 200;
  });
  server.start();
  BackgroundProcess running({CHATHOOKS_CLI_PATH, "send", "boticario-event", server.url("/slow"),
                             data_path("boticario_status_delivered.json"),
                             "--allow-private-addresses"});
  const auto first = running.wait_for_err_line(std::regex("attempt 1: 503 \\([0-9]+ ms\\)"),
                                               std::chrono::seconds(30));
  CHECK(first.has_value());
  CHECK(calls.load() <= 2);  // the delivery is still under way
  {
    std::lock_guard<std::mutex> lock(mutex);
    release = true;
  }
  changed.notify_all();
  const ProcessResult r = running.wait(std::chrono::seconds(60));
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  const auto err = lines(r.err);
  REQUIRE(err.size() == 2);
  CHECK(is_status_line(err[1], 2, 200));
}

TEST_CASE("send fails with exit 1 and the reason last", "[cli][send]") {
  TestServer server;
  std::atomic<int> down_calls{0};
  answer(server, "/down", 503, "", &down_calls);
  answer(server, "/gone", 410, "");
  answer(server, "/repeated-answer", 200, R"({"response":"A","response":"B"})");
  answer(server, "/bad-cliengo", 200, R"({"response":{"stopChat":"yes"}})");
  answer(server, "/big", 200, std::string(5000, ' ') + "{}");
  server.server().Post("/slow", [&](const httplib::Request&, httplib::Response& response) {
    server.gate().wait();
    response.status = 200;
  });
  server.start();
  const std::string dispatch = data_path("flw_dispatch.json");

  SECTION("every attempt answers 503") {
    const ProcessResult r = run_cli({"send", "flw-dispatch", server.url("/down"), dispatch,
                                     "--attempts", "2", "--allow-private-addresses"});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    const auto err = lines(r.err);
    REQUIRE(err.size() == 3);
    CHECK(is_status_line(err[0], 1, 503));
    CHECK(is_status_line(err[1], 2, 503));
    CHECK(err[2].rfind("error: attempts_exhausted: ", 0) == 0);
    CHECK(down_calls == 2);
  }
  SECTION("410 is the endpoint gone, not retried") {
    const ProcessResult r =
        run_cli({"send", "boticario-event", server.url("/gone"),
                 data_path("boticario_status_read.json"), "--allow-private-addresses"});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    const auto err = lines(r.err);
    REQUIRE(err.size() == 2);
    CHECK(is_status_line(err[0], 1, 410));
    CHECK(err[1].rfind("error: endpoint_gone: ", 0) == 0);
  }
  SECTION("an answer that does not decode names the member") {
    const ProcessResult r = run_cli({"send", "flw-dispatch", server.url("/repeated-answer"),
                                     dispatch, "--allow-private-addresses"});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    const auto err = lines(r.err);
    REQUIRE(err.size() == 2);
    CHECK(is_status_line(err[0], 1, 200));
    CHECK(err[1].rfind("error: answer: /response: ", 0) == 0);

    const ProcessResult c =
        run_cli({"send", "cliengo-request", server.url("/bad-cliengo"),
                 data_path("cliengo_request.json"), "--allow-private-addresses"});
    INFO(describe(c));
    CHECK(c.exit_code == 1);
    CHECK(lines(c.err).back().rfind("error: answer: /response/stopChat: ", 0) == 0);
  }
  SECTION("--timeout-ms bounds each attempt") {
    const auto start = std::chrono::steady_clock::now();
    const ProcessResult r =
        run_cli({"send", "flw-dispatch", server.url("/slow"), dispatch, "--timeout-ms", "300",
                 "--attempts", "1", "--allow-private-addresses"});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    const auto err = lines(r.err);
    REQUIRE(err.size() == 2);
    CHECK(std::regex_match(err[0], std::regex("attempt 1: timeout: .* \\([0-9]+ ms\\)")));
    CHECK(err[1].rfind("error: attempts_exhausted: ", 0) == 0);
    CHECK(err[1].find("timeout") != std::string::npos);
    // Generous: a loaded machine under ASan; the gate alone would hold it for 60 s.
    CHECK(elapsed < std::chrono::seconds(30));
  }
  SECTION("--max-response-bytes caps the answer") {
    const ProcessResult r = run_cli({"send", "flw-dispatch", server.url("/big"), dispatch,
                                     "--max-response-bytes", "1000", "--allow-private-addresses"});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK(lines(r.err).back().rfind("error: response_too_large: ", 0) == 0);

    const ProcessResult enough =
        run_cli({"send", "flw-dispatch", server.url("/big"), dispatch, "--max-response-bytes",
                 "6000", "--allow-private-addresses"});
    INFO(describe(enough));
    CHECK(enough.exit_code == 0);
    CHECK(enough.out == "{\"branch\":\"main\",\"response\":null,\"messages\":[]}\n");
  }
  SECTION("nothing listening") {
    const int port = server.port();
    server.stop();
    const ProcessResult r =
        run_cli({"send", "flw-dispatch", "http://127.0.0.1:" + std::to_string(port) + "/x",
                 dispatch, "--attempts", "1", "--allow-private-addresses"});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    const auto err = lines(r.err);
    REQUIRE(err.size() == 2);
    CHECK(err[0].rfind("attempt 1: connection_refused: ", 0) == 0);
    CHECK(err[1].rfind("error: ", 0) == 0);
  }
}

TEST_CASE("send reports what the receiver said when it refused", "[cli][send]") {
  TestServer server;
  server.server().Post("/problem", [](const httplib::Request&, httplib::Response& response) {
    response.status = 400;
    response.set_content(R"({"type":"about:blank","title":"Bad Request","status":400,)"
                         R"("detail":"/contact/tags/1: expected string, got number"})",
                         "application/problem+json");
  });
  server.server().Post("/text", [](const httplib::Request&, httplib::Response& response) {
    response.status = 422;
    response.set_content("unknown tenant\r\n" + std::string(300, 'x'), "text/plain");
  });
  server.server().Post("/binary", [](const httplib::Request&, httplib::Response& response) {
    response.status = 400;
    response.set_content(std::string("\x00\x01\x02garbage", 10), "application/octet-stream");
  });
  server.start();
  const std::string event = data_path("boticario_status_read.json");

  SECTION("a problem+json detail") {
    const ProcessResult r = run_cli(
        {"send", "boticario-event", server.url("/problem"), event, "--allow-private-addresses"});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    const auto err = lines(r.err);
    REQUIRE(err.size() == 2);
    CHECK(is_status_line(err[0], 1, 400));
    CHECK(err[1].rfind("error: http_status: ", 0) == 0);
    const std::string said = " (the receiver said: /contact/tags/1: expected string, got number)";
    REQUIRE(err[1].size() > said.size());
    CHECK(err[1].substr(err[1].size() - said.size()) == said);
  }
  SECTION("the first 200 bytes of a text body, on one line") {
    const ProcessResult r = run_cli(
        {"send", "boticario-event", server.url("/text"), event, "--allow-private-addresses"});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    const std::string last = lines(r.err).back();
    CHECK(last.rfind("error: http_status: ", 0) == 0);
    const std::size_t said = last.find(" (the receiver said: unknown tenant");
    REQUIRE(said != std::string::npos);
    // 200 bytes of the body at most ("unknown tenant" and its CR LF, escaped, then the x's).
    CHECK(last.find(std::string(190, 'x')) == std::string::npos);
    CHECK(last.find(std::string(150, 'x')) != std::string::npos);
    CHECK(last.substr(last.size() - 4) == "...)");
  }
  SECTION("nothing from a binary body") {
    const ProcessResult r = run_cli(
        {"send", "boticario-event", server.url("/binary"), event, "--allow-private-addresses"});
    INFO(describe(r));
    CHECK(r.exit_code == 1);
    const std::string last = lines(r.err).back();
    CHECK(last.rfind("error: http_status: ", 0) == 0);
    CHECK(last.find("the receiver said") == std::string::npos);
  }
}

TEST_CASE("send cliengo-request prints the decoded answer, {} for an empty one", "[cli][send]") {
  TestServer server;
  std::atomic<int> calls{0};
  answer(server, "/answer", 200, read_file(data_path("cliengo_response.json")), &calls);
  answer(server, "/empty", 200, "", &calls);
  server.start();

  const ProcessResult r = run_cli({"send", "cliengo-request", server.url("/answer"),
                                   data_path("cliengo_request.json"), "--allow-private-addresses"});
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(count_lines(r.out) == 1);
  CHECK(parse(r.out) == parse(read_file(data_path("cliengo_response.json"))));
  CHECK(is_status_line(lines(r.err).at(0), 1, 200));

  const ProcessResult empty =
      run_cli({"send", "cliengo-request", server.url("/empty"), "-", "--allow-private-addresses"},
              read_file(data_path("cliengo_request.json")));
  INFO(describe(empty));
  CHECK(empty.exit_code == 0);
  CHECK(empty.out == "{}\n");
  CHECK(calls == 2);
}

TEST_CASE("send boticario-event prints the status", "[cli][send]") {
  TestServer server;
  answer(server, "/events", 202, "ignored");
  server.start();
  const ProcessResult r =
      run_cli({"send", "boticario-event", server.url("/events"),
               data_path("boticario_message_event.json"), "--allow-private-addresses"});
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"status\":202}\n");
  const auto err = lines(r.err);
  REQUIRE(err.size() == 1);
  CHECK(is_status_line(err[0], 1, 202));
}

TEST_CASE("send --secret signs every attempt, the receiver verifies", "[cli][send]") {
  TestServer server;
  auto verifier = chathooks::signing::Verifier::create({kSecret});
  REQUIRE(verifier.ok());
  std::atomic<int> verified{0};
  std::atomic<int> calls{0};
  server.server().Post(
      "/signed", [&](const httplib::Request& request, httplib::Response& response) {
        const bool ok = verifier
                            ->verify(request.get_header_value("webhook-id"),
                                     request.get_header_value("webhook-timestamp"),
                                     request.get_header_value("webhook-signature"), request.body)
                            .ok();
        if (ok) ++verified;
        // The first attempt fails, so that a retry's signature is checked too.
        response.status = !ok ? 401 : ++calls == 1 ? 503 : 200;
      });
  server.start();

  const ProcessResult r = run_cli({"send", "boticario-event", server.url("/signed"),
                                   data_path("boticario_status_delivered.json"), "--secret",
                                   kSecret, "--allow-private-addresses"});
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(verified == 2);
  CHECK(r.err.find(kSecret) == std::string::npos);

  const ProcessResult unsigned_run =
      run_cli({"send", "boticario-event", server.url("/signed"),
               data_path("boticario_status_delivered.json"), "--allow-private-addresses"});
  INFO(describe(unsigned_run));
  CHECK(unsigned_run.exit_code == 1);
  CHECK(lines(unsigned_run.err).back().rfind("error: http_status: ", 0) == 0);

  const ProcessResult bad_secret =
      run_cli({"send", "boticario-event", server.url("/signed"),
               data_path("boticario_status_delivered.json"), "--secret", "whsec_!!!not-base64",
               "--allow-private-addresses"});
  INFO(describe(bad_secret));
  CHECK(bad_secret.exit_code == 1);
  CHECK(bad_secret.err.rfind("error: invalid_secret: ", 0) == 0);
  CHECK(bad_secret.err.find("not-base64") == std::string::npos);
}

TEST_CASE("send checks the payload before sending anything", "[cli][send]") {
  TestServer server;
  std::atomic<int> calls{0};
  answer(server, "/x", 200, "", &calls);
  server.start();
  const ProcessResult r =
      run_cli({"send", "flw-dispatch", server.url("/x"), "--allow-private-addresses"},
              R"({"responseKeys":"CLIENTE_EXISTE"})");
  INFO(describe(r));
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("error: /responseKeys: ", 0) == 0);
  CHECK(count_lines(r.err) == 1);

  const ProcessResult garbage = run_cli(
      {"send", "cliengo-request", server.url("/x"), "--allow-private-addresses"}, "{not json");
  INFO(describe(garbage));
  CHECK(garbage.exit_code == 1);
  CHECK(garbage.err.rfind("error: : ", 0) == 0);
  CHECK(calls == 0);
}

TEST_CASE("send usage errors exit 2", "[cli][send]") {
  const std::string file = data_path("flw_dispatch.json");
  const std::vector<std::vector<std::string>> cases = {
      {"send"},
      {"send", "flw-dispatch"},
      {"send", "flw-response", "http://127.0.0.1:1/", file},
      {"send", "cliengo-response", "http://127.0.0.1:1/", file},
      {"send", "nonsense", "http://127.0.0.1:1/", file},
      {"send", "flw-dispatch", "ftp://127.0.0.1/", file},
      {"send", "flw-dispatch", "127.0.0.1:1", file},
      {"send", "flw-dispatch", "http://127.0.0.1:1/", file, "extra"},
      {"send", "flw-dispatch", "http://127.0.0.1:1/", file, "--attempts", "0"},
      {"send", "flw-dispatch", "http://127.0.0.1:1/", file, "--attempts", "101"},
      {"send", "flw-dispatch", "http://127.0.0.1:1/", file, "--attempts", "-1"},
      {"send", "flw-dispatch", "http://127.0.0.1:1/", file, "--timeout-ms", "abc"},
      {"send", "flw-dispatch", "http://127.0.0.1:1/", file, "--timeout-ms", ""},
      {"send", "flw-dispatch", "http://127.0.0.1:1/", file, "--timeout-ms"},
      {"send", "flw-dispatch", "http://127.0.0.1:1/", file, "--max-response-bytes", "1e3"},
      {"send", "flw-dispatch", "http://127.0.0.1:1/", file, "--secret", "a", "--secret", "b"},
      {"send", "flw-dispatch", "http://127.0.0.1:1/", file, "--bogus"},
  };
  for (const auto& args : cases)
    check_usage_error(run_cli(args), "error: ", "usage: chathooks send");
}

TEST_CASE("send --help prints the usage on stdout and exits 0", "[cli][send]") {
  const ProcessResult r = run_cli({"send", "--help"});
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("usage: chathooks send KIND URL [FILE]", 0) == 0);
  CHECK(r.err.empty());
}
