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
#include "metrics_scrape.hpp"
#include "outbox/outbox_test_support.hpp"
#include "outbox_cli_support.hpp"

using namespace chathooks_test;
using outbox_cli_test::IdReceiver;
using outbox_cli_test::status_line;

TEST_CASE("outbox add stores a payload, run --until-empty delivers it, status counts") {
  outbox_test::TempFile file;
  outbox_cli_test::check_add_run_status("sqlite:" + file.path());
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
  check_usage_error(run_cli({"outbox"}),
                    "error: missing add, run, status, retry-dead, endpoints or enable",
                    "usage: chathooks outbox");
  check_usage_error(run_cli({"outbox", "flush", "--store", store}),
                    "error: unknown outbox command flush", "usage: chathooks outbox");
  check_usage_error(run_cli({"outbox", "status"}), "error: missing --store STORE",
                    "usage: chathooks outbox");
  check_usage_error(run_cli({"outbox", "status", "--store", "mysql://x"}),
                    "error: unknown store kind 'mysql:'", "usage: chathooks outbox");
  check_usage_error(
      run_cli({"outbox", "add", "flw-response", "http://127.0.0.1:9/", "--store", store}),
      "error: flw-response is not a request kind", "usage: chathooks outbox");
  check_usage_error(run_cli({"outbox", "status", "--store", store, "--until-empty"}),
                    "error: --until-empty is for outbox run only", "usage: chathooks outbox");
  check_usage_error(run_cli({"outbox", "run", "--store", store, "--timeout-ms", "0"}),
                    "error: --timeout-ms must be a whole number", "usage: chathooks outbox");
  // A PostgreSQL URI whose server is not there (a unix socket directory that does not exist:
  // no traffic leaves the machine).
  check_failure(
      run_cli({"outbox", "status", "--store", "postgresql:///db?host=/nonexistent-chathooks-dir"}),
      "storage: outbox postgresql (dbname=db, host=/nonexistent-chathooks-dir, schema=chathooks):"
      " opening: cannot connect: ");
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
  auto store = chathooks::outbox::open_sqlite_store(file.path()).value();
  outbox_cli_test::check_kill_then_restart(*store, "sqlite:" + file.path());
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

TEST_CASE("outbox run --metrics-port: deliveries, attempts and the outbox depth", "[cli][outbox]") {
  outbox_test::TempFile file;
  const std::string store = "sqlite:" + file.path();
  IdReceiver receiver(200);
  for (int i = 0; i < 2; ++i) {
    REQUIRE(run_cli({"outbox", "add", "boticario-event", receiver.url(), "--store", store},
                    read_file(data_path("boticario_status_delivered.json")))
                .exit_code == 0);
  }
  BackgroundProcess running({CHATHOOKS_CLI_PATH, "outbox", "run", "--store", store,
                             "--allow-private-addresses", "--metrics-port", "0"});
  const int port = wait_for_metrics_port(running);
  const std::regex delivered(R"(msg_\w+ attempt 1: 200 \(\d+ ms\): delivered)");
  const auto limit = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  std::string text;
  while (std::chrono::steady_clock::now() < limit) {
    text = scrape_metrics(port);
    if (sample_value(text, "chathooks_outbox_depth{state=\"delivered\"}") == 2.0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  INFO(text);
  CHECK(sample_value(text, "chathooks_outbox_depth{state=\"delivered\"}") == 2.0);
  CHECK(sample_value(text, "chathooks_outbox_depth{state=\"pending\"}") == 0.0);
  CHECK(sample_value(text,
                     "chathooks_deliveries_total{chathooks_protocol=\"outbox\","
                     "server_address=\"127.0.0.1\",outcome=\"delivered\"}") == 2.0);
  CHECK(sample_value(text,
                     "chathooks_delivery_attempts_total{chathooks_protocol=\"outbox\","
                     "server_address=\"127.0.0.1\"}") == 2.0);
  running.send_signal(SIGTERM);
  const auto stopped = running.wait(std::chrono::seconds(30));
  INFO(describe(stopped));
  CHECK(stopped.exit_code == 0);
}

TEST_CASE("outbox endpoints lists the saved breaker states and enable re-enables one") {
  outbox_test::TempFile file;
  const std::string store = "sqlite:" + file.path();
  {
    auto opened = chathooks::outbox::open_sqlite_store(file.path());
    REQUIRE(opened.ok());
    chathooks::outbox::EndpointRecord record;
    record.endpoint = "https://gone.example:443";
    record.state = chathooks::delivery::EndpointState::disabled;
    record.consecutive_failures = 1;
    record.updated_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1000));
    REQUIRE((*opened)->save_endpoint(record));
  }
  const auto listed = run_cli({"outbox", "endpoints", "--store", store});
  CHECK(listed.exit_code == 0);
  CHECK(listed.out ==
        "{\"endpoint\":\"https://gone.example:443\",\"state\":\"disabled\","
        "\"consecutive_failures\":1,\"paused_until_ms\":0,\"updated_at_ms\":1000}\n");
  const auto enabled =
      run_cli({"outbox", "enable", "https://GONE.example/hooks", "--store", store});
  CHECK(enabled.exit_code == 0);
  CHECK(enabled.out.empty());
  const auto after = run_cli({"outbox", "endpoints", "--store", store});
  CHECK(after.out.find("\"state\":\"closed\"") != std::string::npos);
  CHECK(after.out.find("\"endpoint\":\"https://gone.example:443\"") != std::string::npos);
  check_usage_error(run_cli({"outbox", "enable", "--store", store}), "error: missing URL",
                    "usage: chathooks outbox");
  check_usage_error(run_cli({"outbox", "enable", "no-scheme", "--store", store}),
                    "error: not an endpoint", "usage: chathooks outbox");
}
