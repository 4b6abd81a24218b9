// Shared by the `chathooks outbox` tests: a loopback receiver that records the webhook-ids it
// is sent, the line `outbox status` prints, and the SIGKILL-then-restart check run on each
// store engine. Thread-safety: IdReceiver is safe to read from
// the test's thread while its server's threads record.
#pragma once

#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <cstddef>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/outbox/store.hpp"
#include "chathooks/outbox/worker.hpp"
#include "cli_test_support.hpp"
#include "http/test_server.hpp"

namespace outbox_cli_test {

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
  chathooks_test::TestServer server_;
};

inline std::string status_line(std::size_t pending, std::size_t in_flight, std::size_t delivered,
                               std::size_t dead) {
  return "{\"pending\":" + std::to_string(pending) + ",\"in_flight\":" + std::to_string(in_flight) +
         ",\"delivered\":" + std::to_string(delivered) + ",\"dead\":" + std::to_string(dead) +
         "}\n";
}

// `outbox add` of the Flw document's dispatch on `store`, `status`, `run --until-empty` (signed)
// and `status` again: one id printed, one signed delivery with that id, the counts following.
inline void check_add_run_status(const std::string& store) {
  using namespace chathooks_test;  // NOLINT(google-build-using-namespace): the CLI test helpers
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

// Enqueues 1,000 messages to a receiver of its own through `store`, starts `chathooks outbox run`
// on `store_uri` (the same store), SIGKILLs it once it has delivered 200, then runs it again
// with --until-empty: every message arrives, with the id it was stored under, and the store
// counts 1,000 delivered.
inline void check_kill_then_restart(chathooks::outbox::OutboxStore& store,
                                    const std::string& store_uri) {
  using namespace chathooks_test;  // NOLINT(google-build-using-namespace): the CLI test helpers
  IdReceiver receiver;
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    chathooks::http::HttpRequest request;
    request.url = receiver.url();
    request.body = R"({"n":)" + std::to_string(i) + "}";
    auto id = chathooks::outbox::enqueue(store, request);
    REQUIRE(id);
    ids.insert(*id);
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

}  // namespace outbox_cli_test
