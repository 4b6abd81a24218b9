// `chathooks outbox` on a PostgreSQL store, on a real server the test suite starts
// (tests/postgres), each test in a database of its own: add, run and status; a `run` killed
// with SIGKILL in the middle of 1,000 deliveries, after which a second run delivers the rest;
// and two `run` processes sharing the database, one of them killed, the other delivering
// everything, webhook-ids unchanged.
#include <signal.h>

#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/outbox/postgres_store.hpp"
#include "chathooks/outbox/worker.hpp"
#include "cli_test_support.hpp"
#include "outbox_cli_support.hpp"
#include "postgres/postgres_server.hpp"

using namespace chathooks_test;
using outbox_cli_test::IdReceiver;
using outbox_cli_test::status_line;

namespace {

// A database of its own on the test suite's server (the CLI keeps its tables in the schema
// "chathooks", so tests running at once must not share a database), dropped at the end.
class TempDatabase {
 public:
  TempDatabase() : name_(test_postgres::unique_name("cli")) {
    test_postgres::run_sql(test_postgres::uri(), "CREATE DATABASE " + name_);
    const std::string& base = test_postgres::uri();  // postgresql:///postgres?host=...
    const auto slash = base.find("///postgres");
    REQUIRE(slash != std::string::npos);
    uri_ = base.substr(0, slash) + "///" + name_ + base.substr(slash + 11);
  }
  ~TempDatabase() {
    try {
      test_postgres::run_sql(test_postgres::uri(),
                             "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
      // Dropped with the server's data directory anyway.
    }
  }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;
  const std::string& uri() const { return uri_; }

 private:
  std::string name_;
  std::string uri_;
};

}  // namespace

TEST_CASE("outbox add, run --until-empty and status on a PostgreSQL store") {
  TempDatabase db;
  outbox_cli_test::check_add_run_status(db.uri());
  // The tables are where the documentation says.
  CHECK(test_postgres::query_value(db.uri(), "SELECT count(*) FROM chathooks.outbox_messages") ==
        "1");
}

TEST_CASE("outbox run on PostgreSQL killed with SIGKILL mid-way loses nothing") {
  TempDatabase db;
  auto store = chathooks::outbox::open_postgres_store(db.uri()).value();
  outbox_cli_test::check_kill_then_restart(*store, db.uri());
}

TEST_CASE("Two outbox runs share a PostgreSQL store: one is killed, the other delivers the rest") {
  TempDatabase db;
  IdReceiver receiver;
  std::set<std::string> ids;
  {
    auto store = chathooks::outbox::open_postgres_store(db.uri()).value();
    for (int i = 0; i < 1000; ++i) {
      chathooks::http::HttpRequest request;
      request.url = receiver.url();
      request.body = R"({"n":)" + std::to_string(i) + "}";
      auto id = chathooks::outbox::enqueue(*store, request);
      REQUIRE(id);
      ids.insert(*id);
    }
  }
  const std::vector<std::string> run = {CHATHOOKS_CLI_PATH, "outbox", "run",
                                        "--store",          db.uri(), "--allow-private-addresses",
                                        "--lease-ms",       "10000"};
  BackgroundProcess doomed(run);
  BackgroundProcess survivor(run);
  const auto limit = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  while (receiver.count() < 200 && std::chrono::steady_clock::now() < limit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  doomed.send_signal(SIGKILL);
  CHECK(doomed.wait(std::chrono::seconds(30)).signal == SIGKILL);
  const std::size_t at_kill = receiver.count();
  INFO("delivered when one run was killed: " << at_kill);
  CHECK(at_kill < 1000);

  // The survivor delivers the rest, the killed run's leases included once they expire.
  while (std::chrono::steady_clock::now() < limit &&
         run_cli({"outbox", "status", "--store", db.uri()}).out != status_line(0, 0, 1000, 0)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  survivor.send_signal(SIGTERM);
  const auto stopped = survivor.wait(std::chrono::seconds(60));
  INFO(describe(stopped));
  CHECK(stopped.exited);
  CHECK(stopped.exit_code == 0);
  CHECK(run_cli({"outbox", "status", "--store", db.uri()}).out == status_line(0, 0, 1000, 0));

  const auto received = receiver.ids();
  const std::set<std::string> distinct(received.begin(), received.end());
  CHECK(distinct == ids);
  // A message is with one run at a time while its lease holds (10 s, far longer than an attempt
  // to this receiver takes, even under a sanitizer): only what the killed run held (at most one
  // batch, 16) can have arrived twice.
  CHECK(received.size() >= 1000);
  CHECK(received.size() <= 1000 + 16);
}
