// Tests of `chathooks serve` against docs/cli.md: the built binary left running as a child process
// on an ephemeral 127.0.0.1 port, driven with cpp-httplib's client. Covers the three request kinds
// (printed payloads, --reply answers, empty 200s), signature checks with --secret, duplicate
// webhook-ids, rejections and their stderr lines, tolerant decoding (warning lines) and --strict,
// whole lines from concurrent requests, stopping on SIGTERM and SIGINT, and the exit status of
// usage errors and of invalid --reply, --secret and ports.

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "chathooks/signing/signer.hpp"
#include "cli_test_support.hpp"
#include "metrics_scrape.hpp"
#include "serve_test_support.hpp"

using namespace chathooks_test;

namespace {

// A file removed at scope exit.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "chathooks-serve-test-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    ::close(fd);
    path_ = pattern;
    std::ofstream(path_, std::ios::binary) << content;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A TCP socket listening on 127.0.0.1 at a port the kernel picked, so that nobody else can.
class TakenPort {
 public:
  TakenPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::runtime_error("socket failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t size = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(fd_, 1) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      ::close(fd_);
      throw std::runtime_error("cannot hold a loopback port");
    }
    port_ = ntohs(address.sin_port);
  }
  TakenPort(const TakenPort&) = delete;
  TakenPort& operator=(const TakenPort&) = delete;
  ~TakenPort() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

}  // namespace

TEST_CASE("serve flw-dispatch verifies, prints, answers --reply, deduplicates and rejects",
          "[cli][serve]") {
  Serving serving(
      {"flw-dispatch", "--secret", kSecret, "--reply", data_path("flw_response_simple.json")});
  BackgroundProcess& process = serving.process();
  httplib::Client client = serving.client();
  const std::string dispatch = read_file(data_path("flw_dispatch.json"));
  const chathooks::Json reply = parse(read_file(data_path("flw_response_simple.json")));
  const httplib::Headers headers = signed_headers("msg_serve_test_1", dispatch);

  // A signed dispatch: printed once, answered with the --reply JSON.
  auto first = client.Post("/flw", headers, dispatch, "application/json");
  REQUIRE(first);
  CHECK(first->status == 200);
  CHECK(first->get_header_value("Content-Type") == "application/json");
  CHECK(parse(first->body) == reply);
  // The payload is written before the answer goes out, so it is in the pipe by now.
  process.read_available();
  {
    INFO("stdout: " << process.out() << "\nstderr: " << process.err());
    REQUIRE(count_lines(process.out()) == 1);
    CHECK(process.out().back() == '\n');
    CHECK(process.out().find('\n') == process.out().size() - 1);
    CHECK(parse(process.out()) == parse(dispatch));
    // Compact: the payload re-encoded, no indentation left.
    CHECK(process.out() == parse(process.out()).dump() + "\n");
    CHECK(count_prefixed(process.err(), "duplicate") == 0);
    // Signed: no warning about unauthenticated webhook-ids.
    CHECK(count_prefixed(process.err(), "warning:") == 0);
  }

  // The same webhook-id again: the same answer, not printed again, a "duplicate" line.
  auto again = client.Post("/flw", headers, dispatch, "application/json");
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(again->body == first->body);
  process.read_available();
  {
    INFO("stdout: " << process.out() << "\nstderr: " << process.err());
    CHECK(count_lines(process.out()) == 1);
    CHECK(count_prefixed(process.err(), "duplicate: 200") == 1);
  }

  // Unsigned: 401, one rejection line.
  auto unsigned_post = client.Post("/flw", dispatch, "application/json");
  REQUIRE(unsigned_post);
  CHECK(unsigned_post->status == 401);
  process.read_available();
  {
    INFO("stderr: " << process.err());
    CHECK(count_prefixed(process.err(), "rejected: 401 ") == 1);
  }

  // A wrong signature is no better than none.
  httplib::Headers forged = signed_headers("msg_serve_test_2", dispatch);
  auto tampered = client.Post("/flw", forged, dispatch + " ", "application/json");
  REQUIRE(tampered);
  CHECK(tampered->status == 401);

  // Anything but POST: 405.
  auto get = client.Get("/flw");
  REQUIRE(get);
  CHECK(get->status == 405);

  // Signed but not JSON: 400.
  const std::string malformed = "{\"sessionId\": ";
  auto bad = client.Post("/flw", signed_headers("msg_serve_test_3", malformed), malformed,
                         "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);

  // Signed JSON that is not a dispatch (not an object): 400 too.
  const std::string wrong_type = R"([{"sessionId": "s"}])";
  auto invalid = client.Post("/flw", signed_headers("msg_serve_test_4", wrong_type), wrong_type,
                             "application/json");
  REQUIRE(invalid);
  CHECK(invalid->status == 400);

  process.read_available();
  {
    INFO("stdout: " << process.out() << "\nstderr: " << process.err());
    CHECK(count_lines(process.out()) == 1);
    CHECK(count_prefixed(process.err(), "rejected: 401 ") == 2);
    CHECK(count_prefixed(process.err(), "rejected: 405 ") == 1);
    CHECK(count_prefixed(process.err(), "rejected: 400 ") == 2);
  }

  // A dispatch with a member of the wrong type: decoded tolerantly (without --strict), printed
  // as it came, one warning line naming the member.
  const std::string off_type = R"({"sessionId": 5})";
  auto tolerated = client.Post("/flw", signed_headers("msg_serve_test_5", off_type), off_type,
                               "application/json");
  REQUIRE(tolerated);
  CHECK(tolerated->status == 200);

  const ProcessResult r = serving.stop(SIGTERM);
  INFO(describe(r));
  CHECK_FALSE(r.timed_out);
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  const auto out = lines(r.out);
  REQUIRE(out.size() == 2);
  CHECK(out[1] == R"({"sessionId":5})");
  // Every stderr line is one of the documented kinds, and no error.
  const auto err = lines(r.err);
  REQUIRE_FALSE(err.empty());
  CHECK(err[0].rfind("listening on http://127.0.0.1:", 0) == 0);
  for (std::size_t i = 1; i < err.size(); ++i) {
    INFO(err[i]);
    CHECK((err[i].rfind("rejected: ", 0) == 0 || err[i].rfind("duplicate: ", 0) == 0 ||
           err[i] == "warning: /sessionId: expected string, got number"));
  }
  CHECK(count_prefixed(r.err, "warning: ") == 1);
  CHECK(err.size() == 1 + 1 + 5 + 1);
  CHECK(r.err.find("duplicate: 200 flw:") != std::string::npos);
}

TEST_CASE("serve stops on SIGINT with exit 0", "[cli][serve]") {
  Serving serving({"cliengo-request"});
  // One answered request first: the server is then surely in its accept loop.
  auto get = serving.client().Get("/");
  REQUIRE(get);
  CHECK(get->status == 405);
  const ProcessResult r = serving.stop(SIGINT);
  INFO(describe(r));
  CHECK_FALSE(r.timed_out);
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
}

TEST_CASE("serve stops on a signal sent the moment it says where it listens", "[cli][serve]") {
  // The signal may arrive before the server's accept loop runs, when httplib's stop() would
  // do nothing: serve must remember it. Without that, about a third of these runs hung.
  for (int run = 0; run < 20; ++run) {
    Serving serving({"boticario-event"});
    const ProcessResult r = serving.stop(run % 2 == 0 ? SIGTERM : SIGINT);
    INFO("run " << run << ": " << describe(r));
    CHECK_FALSE(r.timed_out);
    REQUIRE(r.exited);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("serve boticario-event without --secret prints each event, answers an empty 200",
          "[cli][serve]") {
  Serving serving({"boticario-event"});
  httplib::Client client = serving.client();
  const std::string message = read_file(data_path("boticario_message_event.json"));
  const std::string status = read_file(data_path("boticario_status_read.json"));

  for (const std::string* body : {&message, &status}) {
    auto res = client.Post("/events", *body, "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body.empty());
    CHECK_FALSE(res->has_header("Content-Type"));
  }

  const ProcessResult r = serving.stop(SIGTERM);
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  const auto out = lines(r.out);
  REQUIRE(out.size() == 2);
  CHECK(parse(out[0]) == parse(message));
  CHECK(parse(out[1]) == parse(status));
  // Once, at start: without --secret the webhook-ids are unauthenticated. Then "listening on".
  REQUIRE(count_lines(r.err) == 2);
  CHECK(count_prefixed(r.err, "warning: no --secret: requests are not authenticated") == 1);
  CHECK(lines(r.err)[1].rfind("listening on http://127.0.0.1:", 0) == 0);
}

TEST_CASE("serve cliengo-request answers the --reply JSON", "[cli][serve]") {
  Serving serving({"cliengo-request", "--reply", data_path("cliengo_response.json")});
  const std::string request = read_file(data_path("cliengo_request.json"));
  auto res = serving.client().Post("/fulfillment", request, "application/json");
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->get_header_value("Content-Type") == "application/json");
  CHECK(parse(res->body) == parse(read_file(data_path("cliengo_response.json"))));

  // A Content-Type that is not JSON: 415.
  auto text = serving.client().Post("/fulfillment", request, "text/plain");
  REQUIRE(text);
  CHECK(text->status == 415);

  const ProcessResult r = serving.stop(SIGTERM);
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  REQUIRE(count_lines(r.out) == 1);
  CHECK(parse(r.out) == parse(request));
  CHECK(count_prefixed(r.err, "rejected: 415 ") == 1);
}

namespace {

// `text` with the first occurrence of `from` replaced; the test data must contain `from`.
std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// The documented message event with a `createdAt` that has no zone.
std::string event_without_zone() {
  return replace_once(read_file(data_path("boticario_message_event.json")),
                      R"("2020-01-09T19:35:36.639Z")", R"("2020-01-09T19:35:36.639")");
}

// The documented dispatch with a null among the contact's tags.
std::string dispatch_with_null_tag() {
  return replace_once(read_file(data_path("flw_dispatch.json")), R"("Lead")", R"("Lead", null)");
}

}  // namespace

TEST_CASE("serve decodes tolerantly: an off-type member is printed unchanged, with a warning",
          "[cli][serve]") {
  SECTION("boticario-event, a timestamp without a zone") {
    Serving serving({"boticario-event"});
    const std::string event = event_without_zone();
    auto res = serving.client().Post("/events", event, "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);

    const ProcessResult r = serving.stop(SIGTERM);
    INFO(describe(r));
    REQUIRE(r.exited);
    CHECK(r.exit_code == 0);
    // The payload as it came, compacted, the timestamp unchanged.
    CHECK(r.out == parse(event).dump() + "\n");
    CHECK(r.out.find(R"("createdAt":"2020-01-09T19:35:36.639")") != std::string::npos);
    CHECK(count_prefixed(r.err, "warning: /message/createdAt: ") == 1);
    CHECK(count_prefixed(r.err, "rejected:") == 0);
  }
  SECTION("flw-dispatch, a null in an array of strings, signed and answered with --reply") {
    Serving serving(
        {"flw-dispatch", "--secret", kSecret, "--reply", data_path("flw_response_simple.json")});
    const std::string dispatch = dispatch_with_null_tag();
    auto res = serving.client().Post("/flw", signed_headers("msg_tolerant_1", dispatch), dispatch,
                                     "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(parse(res->body) == parse(read_file(data_path("flw_response_simple.json"))));

    const ProcessResult r = serving.stop(SIGTERM);
    INFO(describe(r));
    REQUIRE(r.exited);
    CHECK(r.out == parse(dispatch).dump() + "\n");
    const auto err = lines(r.err);
    REQUIRE(err.size() == 2);
    CHECK(err[0].rfind("listening on ", 0) == 0);
    CHECK(err[1] == "warning: /contact/tags/1: expected string, got null");
  }
  SECTION("a duplicate is not printed again, nor warned about again") {
    Serving serving({"boticario-event"});
    const std::string event = event_without_zone();
    const httplib::Headers headers = {{"webhook-id", "msg_tolerant_dup"}};
    for (int i = 0; i < 2; ++i) {
      auto res = serving.client().Post("/events", headers, event, "application/json");
      REQUIRE(res);
      CHECK(res->status == 200);
    }
    const ProcessResult r = serving.stop(SIGTERM);
    INFO(describe(r));
    CHECK(count_lines(r.out) == 1);
    CHECK(count_prefixed(r.err, "warning: /message/createdAt: ") == 1);
    CHECK(count_prefixed(r.err, "duplicate: 200 ") == 1);
  }
}

TEST_CASE("serve --strict answers 400 to an off-type member", "[cli][serve]") {
  Serving serving({"boticario-event", "--strict"});
  const std::string event = event_without_zone();
  auto refused = serving.client().Post("/events", event, "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 400);
  CHECK(refused->body.find("/message/createdAt") != std::string::npos);
  // A well-formed event is still accepted.
  const std::string good = read_file(data_path("boticario_message_event.json"));
  auto accepted = serving.client().Post("/events", good, "application/json");
  REQUIRE(accepted);
  CHECK(accepted->status == 200);

  const ProcessResult r = serving.stop(SIGTERM);
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  REQUIRE(count_lines(r.out) == 1);
  CHECK(parse(r.out) == parse(good));
  CHECK(count_prefixed(r.err, "rejected: 400 ") == 1);
  CHECK(count_prefixed(r.err, "warning: /") == 0);
}

TEST_CASE("serve usage errors exit 2 with the usage on stderr", "[cli][serve]") {
  const std::vector<std::vector<std::string>> cases = {
      {"--port", "0"},
      {"flw-response", "--port", "0"},
      {"cliengo-response", "--port", "0"},
      {"nonsense", "--port", "0"},
      {"flw-dispatch", "--port", "70000"},
      {"flw-dispatch", "--port", "abc"},
      {"flw-dispatch", "--port", "-1"},
      {"flw-dispatch", "--port", ""},
      {"flw-dispatch", "extra", "--port", "0"},
      {"flw-dispatch", "--port", "0", "--bogus"},
      {"flw-dispatch", "--port", "0", "--strict=yes"},
  };
  for (const auto& args : cases)
    check_usage_error(run_serve(args), "error: ", "usage: chathooks serve KIND");
}

TEST_CASE("serve --help prints the usage on stdout", "[cli][serve]") {
  const ProcessResult r = run_serve({"--help"});
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.rfind("usage: chathooks serve KIND", 0) == 0);
  CHECK(r.out.find("--strict ") != std::string::npos);
}

TEST_CASE("serve exits 1 on an invalid --reply or --secret, or a port it cannot bind",
          "[cli][serve]") {
  SECTION("--reply that is not JSON") {
    const TempFile reply("{\"response\": ");
    check_failure(run_serve({"flw-dispatch", "--port", "0", "--reply", reply.path()}));
  }
  SECTION("--reply that is JSON but not a Flw response") {
    const TempFile reply(R"({"response": {"key": "x"}})");
    check_failure(run_serve({"flw-dispatch", "--port", "0", "--reply", reply.path()}));
  }
  SECTION("--reply that cannot be read") {
    check_failure(
        run_serve({"cliengo-request", "--port", "0", "--reply", data_path("no_such_file.json")}));
  }
  SECTION("--secret that is not base64") {
    check_failure(run_serve({"flw-dispatch", "--port", "0", "--secret", "whsec_!!!"}));
  }
  SECTION("a port already taken") {
    const TakenPort taken;
    const ProcessResult r = run_serve({"boticario-event", "--port", std::to_string(taken.port())});
    check_failure(r);
    CHECK(r.err.find(std::to_string(taken.port())) != std::string::npos);
  }
}

TEST_CASE(
    "serve answers 503 with Retry-After when it cannot write the payload, and handles the "
    "retry",
    "[cli][serve]") {
  // stdout is /dev/full: every write fails with ENOSPC. The shell only redirects, then becomes
  // chathooks (exec), so signals reach the server itself.
  BackgroundProcess process({"/bin/sh", "-c",
                             "exec \"$0\" serve flw-dispatch --port 0 --secret \"$1\" >/dev/full",
                             CHATHOOKS_CLI_PATH, kSecret});
  const std::regex listening(R"(listening on http://127\.0\.0\.1:([0-9]+)/)");
  const auto line = process.wait_for_err_line(listening, kStartTimeout);
  INFO("stderr: " << process.err());
  REQUIRE(line.has_value());
  std::smatch match;
  REQUIRE(std::regex_match(*line, match, listening));
  httplib::Client client("127.0.0.1", std::stoi(match[1].str()));
  client.set_read_timeout(60, 0);

  const std::string body = read_file(data_path("flw_dispatch.json"));
  for (int attempt = 1; attempt <= 2; ++attempt) {
    INFO("attempt " << attempt);
    // The same webhook-id both times: the first refusal must not record it as handled.
    auto res =
        client.Post("/hook", signed_headers("msg_full_disk", body), body, "application/json");
    REQUIRE(res);
    CHECK(res->status == 503);
    CHECK(res->get_header_value("Retry-After") == "5");
    CHECK(res->get_header_value("Content-Type") == "application/problem+json");
  }
  process.send_signal(SIGTERM);
  const ProcessResult r = process.wait(kStopTimeout);
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(count_prefixed(r.err,
                       "rejected: 503 handler_refused: the payload could not be written "
                       "to standard output: No space left on device") == 2);
  CHECK(count_prefixed(r.err, "duplicate:") == 0);
}

TEST_CASE("serve prints each payload of concurrent requests as one whole line", "[cli][serve]") {
  // stdout is a pipe: serve writes lines that fit in PIPE_BUF without a lock (the kernel writes
  // each whole), so 4 senders at once must still give 100 lines, each one of the payloads sent.
  Serving serving({"boticario-event"});
  const std::string message = read_file(data_path("boticario_message_event.json"));
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  // Distinct message ids, so that no request is a duplicate of another.
  std::vector<std::string> sent;
  for (int n = 0; n < kThreads * kEach; ++n) {
    std::string body = message;
    for (const std::string id : {"i3i4321d", "5e178088a88ad9001b6e1914"}) {
      const auto at = body.find(id);
      REQUIRE(at != std::string::npos);
      body.replace(at, id.size(), id + "-" + std::to_string(n));
    }
    sent.push_back(std::move(body));
  }
  std::vector<std::vector<int>> statuses(kThreads);
  std::atomic<int> finished{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&, t] {
      httplib::Client client = serving.client();
      for (int i = 0; i < kEach; ++i) {
        auto res = client.Post("/events", sent[static_cast<std::size_t>(t * kEach + i)],
                               "application/json");
        statuses[static_cast<std::size_t>(t)].push_back(res ? res->status
                                                            : -100 - static_cast<int>(res.error()));
      }
      finished.fetch_add(1);
    });
  }
  // The 100 lines (~80 KB) overflow a pipe's 64 KB: read them while they are written, or serve
  // blocks on its stdout (as it should: a reader that stops reading holds the writer back).
  while (finished.load() < kThreads) {
    serving.process().read_available();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& sender : senders) sender.join();
  for (const auto& each : statuses) CHECK(each == std::vector<int>(kEach, 200));

  const ProcessResult r = serving.stop(SIGTERM);
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  std::vector<std::string> printed;
  for (const auto& line : lines(r.out)) printed.push_back(parse(line).dump());
  std::vector<std::string> expected;
  for (const auto& body : sent) expected.push_back(parse(body).dump());
  std::sort(printed.begin(), printed.end());
  std::sort(expected.begin(), expected.end());
  CHECK(printed == expected);
}

TEST_CASE("serve --metrics-port: GET /metrics counts the replies by status and duplicates",
          "[cli][serve]") {
  Serving serving({"boticario-event", "--metrics-port", "0"});
  const int metrics_port = wait_for_metrics_port(serving.process());
  auto client = serving.client();
  const std::string event = read_file(data_path("boticario_message_event.json"));
  for (int i = 0; i < 3; ++i) {
    const auto ok = client.Post("/", event, "application/json");
    REQUIRE(ok);
    CHECK(ok->status == 200);
  }
  const auto bad = client.Post("/", "{", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  const std::string text = scrape_metrics(metrics_port);
  INFO(text);
  // The same event three times: handled once, then answered as a duplicate (its messageId).
  CHECK(sample_value(text,
                     "chathooks_receiver_replies_total{chathooks_protocol=\"boticario\","
                     "http_response_status_code=\"200\",disposition=\"handled\"}") == 1.0);
  CHECK(sample_value(text,
                     "chathooks_receiver_replies_total{chathooks_protocol=\"boticario\","
                     "http_response_status_code=\"200\",disposition=\"duplicate\"}") == 2.0);
  CHECK(sample_value(text,
                     "chathooks_receiver_dedupe_hits_total{chathooks_protocol="
                     "\"boticario\"}") == 2.0);
  CHECK(sample_value(text,
                     "chathooks_receiver_replies_total{chathooks_protocol=\"boticario\","
                     "http_response_status_code=\"400\",disposition=\"rejected\"}") == 1.0);
  CHECK(sample_value(text,
                     "http_server_request_duration_seconds_count{chathooks_protocol="
                     "\"boticario\",http_response_status_code=\"200\"}") == 3.0);
  const ProcessResult stopped = serving.stop(SIGTERM);
  CHECK(stopped.exit_code == 0);
}

TEST_CASE("serve --metrics-port refuses a value that is not a port", "[cli][serve]") {
  const ProcessResult r = run_serve({"flw-dispatch", "--metrics-port", "70000"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--metrics-port must be a number from 0 to 65535") != std::string::npos);
}
