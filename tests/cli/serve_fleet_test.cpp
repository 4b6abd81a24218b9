// `chathooks serve --store STORE` as a fleet: two serve processes sharing one store (Redis,
// PostgreSQL, SQLite) on the test suite's real servers, under concurrent load, handle each
// webhook-id once between them; a reused id with another body is 409 whichever process gets it;
// a claim held by a SIGKILLed serve is taken by the other once --claim-timeout passes; a serve
// that cannot write its output answers 503 and the other handles the retry. Also the store's
// usage and failure exits.
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "cli_test_support.hpp"
#include "postgres/postgres_server.hpp"
#include "redis/redis_server.hpp"
#include "serve_test_support.hpp"

using namespace chathooks_test;

namespace {

// A name unique to this process and call, for webhook-ids and files: stores outlive test runs.
std::string unique(const std::string& what) {
  static std::atomic<int> counter{0};
  return what + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

// The Flw document's dispatch with one more member, "test_marker", which serve prints back (no
// member is lost), so that a printed line tells which delivery it was.
std::string marked_dispatch(const std::string& marker, std::size_t padding = 0) {
  std::string body = read_file(data_path("flw_dispatch.json"));
  const std::size_t brace = body.find('{');
  REQUIRE(brace != std::string::npos);
  std::string member = "\"test_marker\":\"" + marker + "\",";
  if (padding > 0) member += "\"test_padding\":\"" + std::string(padding, 'p') + "\",";
  body.insert(brace + 1, member);
  return body;
}

// POSTs `body` with `headers` (signed_headers(), made beforehand) until the answer is not "in
// progress" (409 with Retry-After), for at most `patience`; returns the last answer's status (0
// when the server could not be reached). No Catch assertion: safe on any thread.
int post_settled(const Serving& server, const httplib::Headers& headers, const std::string& body,
                 std::chrono::seconds patience = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  httplib::Client client = server.client();
  for (;;) {
    const auto res = client.Post("/hook", headers, body, "application/json");
    if (!res) return 0;
    const bool in_progress = res->status == 409 && res->has_header("Retry-After");
    if (!in_progress || std::chrono::steady_clock::now() > deadline) return res->status;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// How many times `marker` was printed in `out`.
std::size_t printed(const std::string& out, const std::string& marker) {
  std::size_t n = 0;
  const std::string needle = "\"test_marker\":\"" + marker + "\"";
  for (const std::string& line : lines(out)) n += line.find(needle) != std::string::npos ? 1 : 0;
  return n;
}

// An SQLite store's file in the temporary directory, removed (with its journal files) at the end.
class TempDatabase {
 public:
  TempDatabase()
      : path_((std::filesystem::temp_directory_path() / (unique("chathooks-fleet") + ".db"))
                  .string()) {}
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;
  ~TempDatabase() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::remove((path_ + suffix).c_str());
  }
  std::string store() const { return "sqlite:" + path_; }

 private:
  std::string path_;
};

// The store each fleet test runs on: `engine` is "redis", "postgres" or "sqlite".
std::string store_for(const std::string& engine, const TempDatabase& sqlite) {
  if (engine == "redis") return test_redis::uri();
  if (engine == "postgres") return test_postgres::uri();
  return sqlite.store();
}

ProcessResult stopped(Serving& server) {
  ProcessResult r = server.stop(SIGTERM);
  INFO(describe(r));
  CHECK(r.exited);
  CHECK(r.exit_code == 0);
  return r;
}

}  // namespace

TEST_CASE("two serve processes on one store handle each webhook-id once under concurrent load",
          "[cli][serve][fleet]") {
  const std::string engine = GENERATE(as<std::string>{}, "redis", "postgres", "sqlite");
  INFO("store: " << engine);
  const TempDatabase sqlite;
  const std::string store = store_for(engine, sqlite);
  Serving first({"flw-dispatch", "--secret", kSecret, "--store", store});
  Serving second({"flw-dispatch", "--secret", kSecret, "--store", store});

  constexpr int kIds = 24;
  constexpr int kThreads = 6;
  const std::string run = unique(engine);
  std::vector<std::string> ids;
  std::vector<std::string> bodies;
  std::vector<httplib::Headers> headers;  // made here: Catch's assertions are not thread-safe
  for (int i = 0; i < kIds; ++i) {
    ids.push_back(run + "_" + std::to_string(i));
    bodies.push_back(marked_dispatch(ids.back()));
    headers.push_back(signed_headers(ids.back(), bodies.back()));
  }
  // Every thread sends every id, half to each process, in its own order: each id arrives
  // kThreads times, often at the same moment in both processes.
  std::atomic<int> unsettled{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < kIds; ++k) {
        const auto i = static_cast<std::size_t>((k * 7 + t * 5) % kIds);
        const Serving& server = (k + t) % 2 == 0 ? first : second;
        if (post_settled(server, headers[i], bodies[i]) != 200) ++unsettled;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(unsettled == 0);

  // A reused id with another body is refused by either process.
  const std::string other = marked_dispatch(ids[0] + "_changed");
  for (Serving* server : {&first, &second}) {
    const auto res =
        server->client().Post("/hook", signed_headers(ids[0], other), other, "application/json");
    REQUIRE(res);
    CHECK(res->status == 409);
    CHECK(res->get_header_value("Content-Type") == "application/problem+json");
    CHECK(res->body.find("idempotency_conflict") != std::string::npos);
    CHECK_FALSE(res->has_header("Retry-After"));
  }

  const ProcessResult a = stopped(first);
  const ProcessResult b = stopped(second);
  for (const std::string& id : ids) {
    INFO(id);
    CHECK(printed(a.out, id) + printed(b.out, id) == 1);
  }
  CHECK(printed(a.out + b.out, ids[0] + "_changed") == 0);
  CHECK(count_prefixed(a.err + b.err, "rejected: 409 idempotency_conflict:") == 2);
}

TEST_CASE("a claim held by a SIGKILLed serve is taken by another once the claim timeout passes",
          "[cli][serve][fleet]") {
  const std::string engine = GENERATE(as<std::string>{}, "redis", "postgres");
  INFO("store: " << engine);
  const TempDatabase unused;
  const std::string store = store_for(engine, unused);

  // The first process writes its payload lines into a FIFO nobody reads, its buffer shrunk to one
  // page: a line longer than that blocks its handler mid-write, holding the claim, until the
  // process dies. (The survivor's output is read by this test, so a few such lines are fine.)
  const std::string fifo =
      (std::filesystem::temp_directory_path() / (unique("chathooks-fifo"))).string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  REQUIRE(::fcntl(reader, F_SETPIPE_SZ, 4096) >= 0);
  BackgroundProcess stuck({"/bin/sh", "-c",
                           "exec \"$0\" serve flw-dispatch --port 0 --secret \"$1\" --store "
                           "\"$2\" --claim-timeout 2 >\"$3\"",
                           CHATHOOKS_CLI_PATH, kSecret, store, fifo});
  const std::regex listening(R"(listening on http://127\.0\.0\.1:([0-9]+)/)");
  const auto line = stuck.wait_for_err_line(listening, kStartTimeout);
  INFO("stderr: " << stuck.err());
  REQUIRE(line.has_value());
  std::smatch match;
  REQUIRE(std::regex_match(*line, match, listening));
  const int stuck_port = std::stoi(match[1].str());

  Serving survivor({"flw-dispatch", "--secret", kSecret, "--store", store, "--claim-timeout", "2"});
  const std::string id = unique("killed");
  const std::string body = marked_dispatch(id, 3 * 4096);  // more than the FIFO holds
  const httplib::Headers headers = signed_headers(id, body);
  // The request that hangs, sent from a thread; however the test ends, the stuck process is
  // killed before the thread is joined, so that its request returns.
  struct Hung {
    BackgroundProcess& process;
    std::thread thread;
    ~Hung() {
      process.send_signal(SIGKILL);
      if (thread.joinable()) thread.join();
    }
  } hung{stuck, std::thread([&] {
           httplib::Client client("127.0.0.1", stuck_port);
           client.set_read_timeout(60, 0);
           (void)client.Post("/hook", headers, body, "application/json");
         })};
  // The stuck process holds the claim once it writes: the FIFO then has data.
  pollfd ready{reader, POLLIN, 0};
  REQUIRE(::poll(&ready, 1, 30000) == 1);
  // The survivor sees the claim: "in progress".
  const auto res = survivor.client().Post("/hook", headers, body, "application/json");
  REQUIRE(res);
  CHECK(res->status == 409);
  CHECK(res->get_header_value("Retry-After") == "1");
  stuck.send_signal(SIGKILL);
  const auto killed_at = std::chrono::steady_clock::now();
  (void)stuck.wait(kStopTimeout);
  hung.thread.join();
  ::close(reader);
  std::remove(fifo.c_str());

  // The sender keeps retrying; after the claim timeout the survivor handles it, once.
  CHECK(post_settled(survivor, headers, body) == 200);
  CHECK(std::chrono::steady_clock::now() - killed_at < std::chrono::seconds(20));
  CHECK(post_settled(survivor, headers, body) == 200);  // now a duplicate
  const ProcessResult r = stopped(survivor);
  CHECK(printed(r.out, id) == 1);
  CHECK(count_prefixed(r.err, "duplicate: 200 flw:" + id) == 1);
}

TEST_CASE("a serve that cannot write answers 503, and another on the same store handles the retry",
          "[cli][serve][fleet]") {
  const std::string store = test_redis::uri();
  BackgroundProcess full({"/bin/sh", "-c",
                          "exec \"$0\" serve flw-dispatch --port 0 --secret \"$1\" --store \"$2\" "
                          ">/dev/full",
                          CHATHOOKS_CLI_PATH, kSecret, store});
  const std::regex listening(R"(listening on http://127\.0\.0\.1:([0-9]+)/)");
  const auto line = full.wait_for_err_line(listening, kStartTimeout);
  REQUIRE(line.has_value());
  std::smatch match;
  REQUIRE(std::regex_match(*line, match, listening));
  httplib::Client client("127.0.0.1", std::stoi(match[1].str()));
  client.set_read_timeout(60, 0);

  const std::string id = unique("full");
  const std::string body = marked_dispatch(id);
  const auto refused = client.Post("/hook", signed_headers(id, body), body, "application/json");
  REQUIRE(refused);
  CHECK(refused->status == 503);
  CHECK(refused->get_header_value("Retry-After") == "5");

  Serving healthy({"flw-dispatch", "--secret", kSecret, "--store", store});
  CHECK(post_settled(healthy, signed_headers(id, body), body) == 200);
  full.send_signal(SIGTERM);
  (void)full.wait(kStopTimeout);
  const ProcessResult r = stopped(healthy);
  CHECK(printed(r.out, id) == 1);
  CHECK(count_prefixed(r.err, "duplicate:") == 0);
}

TEST_CASE("serve --store: an unknown store is a usage error, an unreachable one exits 1",
          "[cli][serve][fleet]") {
  const ProcessResult unknown = run_serve({"flw-dispatch", "--store", "mysql://x"});
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown store kind 'mysql:'") != std::string::npos);
  // Only the scheme is repeated: a URI the CLI does not know may still hold a password.
  const ProcessResult tls = run_serve({"flw-dispatch", "--store", "rediss://:s3cret@host:6380"});
  CHECK(tls.exit_code == 2);
  CHECK(tls.err.find("unknown store kind 'rediss:'") != std::string::npos);
  CHECK(tls.err.find("s3cret") == std::string::npos);
  CHECK(run_serve({"flw-dispatch", "--store", "sqlite::memory:"}).exit_code == 2);
  CHECK(run_serve({"flw-dispatch", "--claim-timeout", "0"}).exit_code == 2);
  CHECK(run_serve({"flw-dispatch", "--claim-timeout", "601"}).exit_code == 2);

  const ProcessResult unreachable =
      run_serve({"flw-dispatch", "--store", "redis://:s3cret@127.0.0.1:1"});
  CHECK(unreachable.exit_code == 1);
  CHECK(unreachable.err.rfind("error: storage: redis 127.0.0.1:1: cannot connect", 0) == 0);
  CHECK(unreachable.err.find("s3cret") == std::string::npos);
  CHECK(unreachable.out.empty());
}
