// `chathooks outbox`: add, run, status and retry-dead on a SQLite store in a temporary file,
// delivering to a cpp-httplib receiver on 127.0.0.1; and a `run` killed with SIGKILL in the
// middle of 1,000 deliveries, after which a second run delivers every message, webhook-ids
// unchanged.
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/outbox/sqlite_store.hpp"
#include "chathooks/outbox/worker.hpp"
#include "cli_test_support.hpp"
#include "http/test_server.hpp"
#include "outbox/outbox_test_support.hpp"

using namespace chathooks_test;

namespace {

// A receiver that records each webhook-id it is sent and answers `status`.
class IdReceiver {
 public:
  // Answers after `delay` (the id is recorded on arrival).
  explicit IdReceiver(int status = 200, std::chrono::milliseconds delay = {}) {
    server_.server().Post("/hook", [this, status, delay](const httplib::Request& request,
                                                         httplib::Response& response) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ids_.push_back(request.get_header_value("webhook-id"));
      }
      std::this_thread::sleep_for(delay);
      response.status = status;
    });
    server_.start();
  }
  std::string url() const { return server_.url("/hook"); }
  std::vector<std::string> ids() {
    std::lock_guard<std::mutex> lock(mutex_);
    return ids_;
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mutex_);
    return ids_.size();
  }

 private:
  // Declared before the server, so destroyed after it: its threads write them until it stops.
  std::mutex mutex_;
  std::vector<std::string> ids_;
  TestServer server_;
};

std::string status_line(std::size_t pending, std::size_t in_flight, std::size_t delivered,
                        std::size_t dead) {
  return "{\"pending\":" + std::to_string(pending) + ",\"in_flight\":" + std::to_string(in_flight) +
         ",\"delivered\":" + std::to_string(delivered) + ",\"dead\":" + std::to_string(dead) +
         "}\n";
}

}  // namespace

TEST_CASE("outbox add stores a payload, run --until-empty delivers it, status counts") {
  outbox_test::TempFile file;
  const std::string store = "sqlite:" + file.path();
  IdReceiver receiver;
  const auto added = run_cli({"outbox", "add", "flw-dispatch", receiver.url(), "--store", store},
                             read_file(data_path("flw_dispatch.json")));
  INFO(describe(added));
  REQUIRE(added.exited);
  REQUIRE(added.exit_code == 0);
  CHECK(added.err.empty());
  REQUIRE(count_lines(added.out) == 1);
  const std::string id = added.out.substr(0, added.out.size() - 1);
  CHECK(std::regex_match(id, std::regex("msg_[A-Za-z0-9]+")));

  CHECK(run_cli({"outbox", "status", "--store", store}).out == status_line(1, 0, 0, 0));

  const auto ran = run_cli({"outbox", "run", "--store", store, "--allow-private-addresses",
                            "--until-empty", "--secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"});
  INFO(describe(ran));
  REQUIRE(ran.exited);
  CHECK(ran.exit_code == 0);
  CHECK(ran.out.empty());
  CHECK(std::regex_match(ran.err, std::regex(id + R"( attempt 1: 200 \(\d+ ms\): delivered\n)")));
  CHECK(receiver.ids() == std::vector<std::string>{id});
  CHECK(run_cli({"outbox", "status", "--store", store}).out == status_line(0, 0, 1, 0));
}

TEST_CASE("outbox run --until-empty exits 1 when a message ended dead, and retry-dead revives it") {
  outbox_test::TempFile file;
  const std::string store = "sqlite:" + file.path();
  IdReceiver gone(410);
  REQUIRE(run_cli({"outbox", "add", "flw-dispatch", gone.url(), "--store", store},
                  read_file(data_path("flw_dispatch.json")))
              .exit_code == 0);
  const auto ran =
      run_cli({"outbox", "run", "--store", store, "--allow-private-addresses", "--until-empty"});
  INFO(describe(ran));
  REQUIRE(ran.exited);
  CHECK(ran.exit_code == 1);
  CHECK(std::regex_match(
      ran.err, std::regex(R"(msg_\w+ attempt 1: 410 \(\d+ ms\): dead: endpoint_gone: .*\n)")));
  CHECK(run_cli({"outbox", "status", "--store", store}).out == status_line(0, 0, 0, 1));
  const auto revived = run_cli({"outbox", "retry-dead", "--store", store});
  CHECK(revived.exit_code == 0);
  CHECK(revived.out == "1\n");
  CHECK(run_cli({"outbox", "status", "--store", store}).out == status_line(1, 0, 0, 0));
}

TEST_CASE("outbox usage errors exit 2, bad payloads and stores exit 1") {
  outbox_test::TempFile file;
  const std::string store = "sqlite:" + file.path();
  check_usage_error(run_cli({"outbox"}), "error: missing add, run, status or retry-dead",
                    "usage: chathooks outbox");
  check_usage_error(run_cli({"outbox", "flush", "--store", store}),
                    "error: unknown outbox command flush", "usage: chathooks outbox");
  check_usage_error(run_cli({"outbox", "status"}), "error: missing --store STORE",
                    "usage: chathooks outbox");
  check_usage_error(run_cli({"outbox", "status", "--store", "mysql://x"}),
                    "error: unknown store 'mysql://x'", "usage: chathooks outbox");
  check_usage_error(
      run_cli({"outbox", "add", "flw-response", "http://127.0.0.1:9/", "--store", store}),
      "error: flw-response is not a request kind", "usage: chathooks outbox");
  check_usage_error(run_cli({"outbox", "status", "--store", store, "--until-empty"}),
                    "error: --until-empty is for outbox run only", "usage: chathooks outbox");
  check_usage_error(run_cli({"outbox", "run", "--store", store, "--timeout-ms", "0"}),
                    "error: --timeout-ms must be a whole number", "usage: chathooks outbox");
  check_failure(run_cli({"outbox", "status", "--store", "postgresql://localhost/db"}),
                "storage: PostgreSQL outbox stores are not supported");
  check_failure(run_cli({"outbox", "add", "flw-dispatch", "http://127.0.0.1:9/", "--store", store},
                        R"({"sessionId":5})"),
                "/sessionId: ");
  // Nothing was stored by the refused commands.
  CHECK(run_cli({"outbox", "status", "--store", store}).out == status_line(0, 0, 0, 0));
  const auto help = run_cli({"outbox", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.rfind("usage: chathooks outbox add", 0) == 0);
}

TEST_CASE("outbox run killed with SIGKILL mid-way loses nothing: a second run delivers the rest") {
  outbox_test::TempFile file;
  const std::string store_uri = "sqlite:" + file.path();
  IdReceiver receiver;
  // 1,000 messages, enqueued through the library on the same file.
  std::set<std::string> ids;
  {
    auto store = chathooks::outbox::open_sqlite_store(file.path()).value();
    for (int i = 0; i < 1000; ++i) {
      chathooks::http::HttpRequest request;
      request.url = receiver.url();
      request.body = R"({"n":)" + std::to_string(i) + "}";
      auto id = chathooks::outbox::enqueue(*store, request);
      REQUIRE(id);
      ids.insert(*id);
    }
  }
  const std::vector<std::string> run = {CHATHOOKS_CLI_PATH, "outbox",  "run",
                                        "--store",          store_uri, "--allow-private-addresses",
                                        "--lease-ms",       "2000"};
  {
    BackgroundProcess first(run);
    // Kill it once it has delivered some, well before all.
    const auto limit = std::chrono::steady_clock::now() + std::chrono::minutes(2);
    while (receiver.count() < 200 && std::chrono::steady_clock::now() < limit) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    first.send_signal(SIGKILL);
    const auto killed = first.wait(std::chrono::seconds(30));
    CHECK(killed.signal == SIGKILL);
  }
  const std::size_t before_restart = receiver.count();
  INFO("delivered before the kill: " << before_restart);
  CHECK(before_restart >= 200);
  CHECK(before_restart < 1000);

  std::vector<std::string> second = run;
  second.push_back("--until-empty");
  const auto finished = run_process(second, {}, std::chrono::minutes(5));
  INFO(describe(finished));
  REQUIRE(finished.exited);
  CHECK(finished.exit_code == 0);
  CHECK(run_cli({"outbox", "status", "--store", store_uri}).out == status_line(0, 0, 1000, 0));

  // Every message arrived at least once, and only with the ids it was stored under.
  const auto received = receiver.ids();
  const std::set<std::string> distinct(received.begin(), received.end());
  CHECK(distinct == ids);
  CHECK(received.size() >= 1000);
}

TEST_CASE("outbox run stops on SIGTERM after settling the attempt under way, exit 0") {
  outbox_test::TempFile file;
  const std::string store = "sqlite:" + file.path();
  IdReceiver slow(200, std::chrono::milliseconds(500));
  REQUIRE(run_cli({"outbox", "add", "flw-dispatch", slow.url(), "--store", store},
                  read_file(data_path("flw_dispatch.json")))
              .exit_code == 0);
  BackgroundProcess running(
      {CHATHOOKS_CLI_PATH, "outbox", "run", "--store", store, "--allow-private-addresses"});
  const auto limit = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (slow.count() == 0 && std::chrono::steady_clock::now() < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  REQUIRE(slow.count() == 1);  // The attempt is under way: the receiver is still answering.
  running.send_signal(SIGTERM);
  const auto stopped = running.wait(std::chrono::seconds(30));
  INFO(describe(stopped));
  REQUIRE(stopped.exited);
  CHECK(stopped.exit_code == 0);
  CHECK(std::regex_match(stopped.err,
                         std::regex(R"(msg_\w+ attempt 1: 200 \(\d+ ms\): delivered\n)")));
  CHECK(run_cli({"outbox", "status", "--store", store}).out == status_line(0, 0, 1, 0));
  CHECK(slow.count() == 1);
}
