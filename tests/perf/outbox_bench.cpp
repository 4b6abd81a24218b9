// outbox_bench: deliveries per second through the durable outbox (SQLite, PostgreSQL) against
// the in-memory asynchronous Deliverer, to the same fast receiver (cpp-httplib on 127.0.0.1 in
// this process, answering 200 at once), over one shared CurlTransport (allow_private_addresses
// for loopback, otherwise default options). Built with the tests, run by hand, not by ctest.
//
//   outbox_bench [--rounds R] [--messages N] [--batch B] [--workers W] [--sqlite-workers S]
//                [--idle-poll-ms P]
//
// Each round (R rounds, default 5) runs the sides in turn, always in this order, so that
// machine noise hits them alike:
//   memory:  N deliver_async() calls on one Deliverer (one attempt each), timed from the first
//            call to the last callback -> memory=<deliveries/s>;
//   sqlite:  N enqueue() calls into a fresh SQLite file in a temporary directory (default
//            options: synchronous=FULL, one fsync per commit), timed apart -> sqlite_enqueue_us
//            per message; then S threads (default 2), each its own Worker over the store
//            (batch B, default 16), run_until_empty(), timed from start to the last thread's
//            return -> sqlite=<deliveries/s>;
//   sqlite_normal: the same with sync_every_commit = false (synchronous=NORMAL), for
//            comparison (no target);
//   postgres: the same over a fresh schema of a real PostgreSQL server (the tests' support
//            library: the ctest fixture's server, else a private one started for this process
//            and stopped at exit; NB it runs with fsync=off and synchronous_commit=off), W
//            worker threads (default 4), each its own Worker, over one store with max(4, W)
//            connections -> postgres=<deliveries/s>, postgres_enqueue_us.
// Workers have no retry schedule (a failed attempt makes the message dead) and idle_poll P ms
// (default 1000, WorkerOptions' default; run_until_empty() looks again after 20 ms, not a whole
// idle_poll, while another worker holds leases). Each worker settles its batch in one
// settle_all() (one commit), so SQLite's synchronous=FULL costs one fsync per batch, not one
// per message.
// Every side signs each attempt with the same key; a warm-up of min(200, N) messages per side
// precedes round 1 (connections, server caches, page cache).
// Each round checks that the receiver got every message of that side exactly once (each
// request carries its message's webhook-id, which the receiver records) and that the worker
// summaries say N delivered and nothing else; any mismatch ends the program with status 1.
//
// Per-round figures go to stderr; stdout gets one line of medians over the rounds: absolute
// rates, enqueue costs, and each side's ratio to memory (the median of the per-round ratios).
// Targets (issue): sqlite_vs_memory >= 0.5, postgres_vs_memory >= 0.3 (4 workers).
// Exit status 77 when no PostgreSQL server binaries are found (as the tests' "SKIPPED").
// SIGINT or SIGTERM stops it after the current step, with the server stopped and files removed.
#include <httplib.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/outbox/postgres_store.hpp"
#include "chathooks/outbox/sqlite_store.hpp"
#include "chathooks/outbox/worker.hpp"
#include "postgres/postgres_server.hpp"

using namespace chathooks;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kBody = R"({"event":{"type":"status","status":"delivered","id":"wamid.1"}})";
// The Standard Webhooks specification's example key: every side signs every attempt.
const std::string kSigningKey = "whsec_MzJieXRlc2Vjb3Jlc2VjcmV0c2VjcmV0c2VjcmV0MDA=";

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Args {
  int rounds = 5;
  int messages = 2000;
  int batch = 16;
  int workers = 4;
  int sqlite_workers = 2;
  int idle_poll_ms = 1000;
};

Args parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; i += 2) {
    const std::string name = argv[i];
    const int value = i + 1 < argc ? std::atoi(argv[i + 1]) : 0;
    int* field = name == "--rounds"           ? &args.rounds
                 : name == "--messages"       ? &args.messages
                 : name == "--batch"          ? &args.batch
                 : name == "--workers"        ? &args.workers
                 : name == "--sqlite-workers" ? &args.sqlite_workers
                 : name == "--idle-poll-ms"   ? &args.idle_poll_ms
                                              : nullptr;
    if (field == nullptr || value < 1) {
      std::fprintf(stderr,
                   "usage: outbox_bench [--rounds R] [--messages N] [--batch B] [--workers W] "
                   "[--sqlite-workers S] [--idle-poll-ms P] (each at least 1)\n");
      std::exit(2);
    }
    *field = value;
  }
  return args;
}

// Set by SIGINT or SIGTERM: the round in hand stops, and main() returns normally so that the
// private PostgreSQL server is stopped and the temporary files removed.
std::atomic<bool> interrupted{false};

void check_interrupted() {
  if (interrupted.load()) throw std::runtime_error("interrupted");
}

// The receiver: records the webhook-id of every request, answers 200 at once.
class Receiver {
 public:
  Receiver() {
    server_.new_task_queue = [] { return new httplib::ThreadPool(96); };
    server_.set_keep_alive_max_count(1000000);
    server_.set_tcp_nodelay(true);
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::string id = req.get_header_value("webhook-id");
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++requests_;
        ids_.insert(std::move(id));
      }
      res.set_content("{\"ok\":true}", "application/json");
    });
    // httplib listens with a backlog of 5; a burst of connects would wait for SYN retransmission.
    int listener_fd = -1;
    server_.set_socket_options([&listener_fd](int fd) {
      httplib::default_socket_options(fd);
      listener_fd = fd;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (port_ < 0 || ::listen(listener_fd, 1024) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

  void reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_ = 0;
    ids_.clear();
  }

  // Throws unless exactly `n` requests came, one for each of the ids <prefix>0 .. <prefix>n-1.
  void expect(const std::string& side, const std::string& prefix, int n) {
    std::lock_guard<std::mutex> lock(mutex_);
    bool all = requests_ == static_cast<std::size_t>(n) && ids_.size() == requests_;
    for (int i = 0; all && i < n; ++i) all = ids_.count(prefix + std::to_string(i)) == 1;
    if (!all) {
      throw std::runtime_error(side + ": the receiver got " + std::to_string(requests_) +
                               " requests with " + std::to_string(ids_.size()) +
                               " distinct webhook-ids; expected each of " + std::to_string(n) +
                               " messages once");
    }
  }

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::mutex mutex_;
  std::size_t requests_ = 0;
  std::unordered_set<std::string> ids_;
};

http::HttpRequest make_request(const std::string& url, const std::string& id) {
  http::HttpRequest request;
  request.url = url;
  request.body = kBody;
  (void)request.headers.set("Content-Type", "application/json");
  (void)request.headers.set("webhook-id", id);
  return request;
}

// The memory side: n deliveries at once through `deliverer`; returns deliveries per second.
double run_memory(const delivery::Deliverer& deliverer, Receiver& receiver,
                  const std::string& prefix, int n) {
  receiver.reset();
  std::vector<http::HttpRequest> requests;
  requests.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    requests.push_back(make_request(receiver.url(), prefix + std::to_string(i)));
  std::mutex mutex;
  std::condition_variable all_done;
  int done = 0;
  int failed = 0;
  std::string first_error;
  const auto start = Clock::now();
  for (auto& request : requests) {
    deliverer.deliver_async(std::move(request), [&](delivery::SendResult<void> result) {
      std::lock_guard<std::mutex> lock(mutex);
      if (!result.ok() && failed++ == 0) first_error = result.error().to_string();
      if (++done == n) all_done.notify_one();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    all_done.wait(lock, [&] { return done == n; });
  }
  const double rate = n / seconds_since(start);
  if (failed > 0) {
    throw std::runtime_error("memory: " + std::to_string(failed) +
                             " deliveries failed, the first: " + first_error);
  }
  receiver.expect("memory", prefix, n);
  return rate;
}

/// What one outbox side measured in a round.
struct OutboxFigures {
  double rate = 0;        // Deliveries per second of the drain.
  double enqueue_us = 0;  // Microseconds per enqueue().
};

// Enqueues n messages into `store`, then drains it with `threads` workers; checks the outcome.
OutboxFigures run_outbox(const std::string& side, const std::shared_ptr<outbox::OutboxStore>& store,
                         const std::shared_ptr<http::HttpTransport>& transport, const Args& args,
                         int threads, Receiver& receiver, const std::string& prefix) {
  const int n = args.messages;
  receiver.reset();
  std::vector<http::HttpRequest> requests;
  requests.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    requests.push_back(make_request(receiver.url(), prefix + std::to_string(i)));

  OutboxFigures figures;
  const auto enqueue_start = Clock::now();
  for (auto& request : requests) {
    auto id = outbox::enqueue(*store, std::move(request));
    if (!id) throw std::runtime_error(side + ": enqueue failed: " + id.error().to_string());
    check_interrupted();
  }
  figures.enqueue_us = seconds_since(enqueue_start) * 1e6 / n;
  check_interrupted();

  outbox::WorkerOptions options;
  options.signing_keys = {kSigningKey};
  options.schedule = {};  // One attempt: a failure makes the message dead, and is reported.
  options.batch = static_cast<std::size_t>(args.batch);
  options.idle_poll = std::chrono::milliseconds(args.idle_poll_ms);
  std::vector<outbox::Worker> workers;
  for (int t = 0; t < threads; ++t) {
    auto worker = outbox::Worker::create(store, transport, options);
    if (!worker) throw std::runtime_error(side + ": Worker::create: " + worker.error().to_string());
    workers.push_back(std::move(worker).value());
  }
  std::vector<std::optional<Result<outbox::RunSummary>>> results(workers.size());
  std::vector<std::thread> running;
  const auto drain_start = Clock::now();
  for (std::size_t t = 0; t < workers.size(); ++t) {
    running.emplace_back([&, t] { results[t].emplace(workers[t].run_until_empty(interrupted)); });
  }
  for (auto& thread : running) thread.join();
  figures.rate = n / seconds_since(drain_start);
  check_interrupted();

  outbox::RunSummary total;
  for (const auto& result : results) {
    if (!result->ok()) {
      throw std::runtime_error(side + ": run_until_empty failed: " + result->error().to_string());
    }
    total.delivered += (*result)->delivered;
    total.retried += (*result)->retried;
    total.dead += (*result)->dead;
    total.lost += (*result)->lost;
  }
  auto counts = store->counts();
  if (!counts) throw std::runtime_error(side + ": counts: " + counts.error().to_string());
  if (total.delivered != static_cast<std::uint64_t>(n) ||
      total.retried + total.dead + total.lost != 0 ||
      counts->delivered != static_cast<std::uint64_t>(n) ||
      counts->pending + counts->in_flight + counts->dead != 0) {
    throw std::runtime_error(
        side + ": workers delivered " + std::to_string(total.delivered) + ", retried " +
        std::to_string(total.retried) + ", dead " + std::to_string(total.dead) + ", lost " +
        std::to_string(total.lost) + "; the store counts " + std::to_string(counts->delivered) +
        " delivered, " + std::to_string(counts->pending) + " pending, " +
        std::to_string(counts->in_flight) + " in flight, " + std::to_string(counts->dead) +
        " dead; expected " + std::to_string(n) + " delivered and nothing else");
  }
  receiver.expect(side, prefix, n);
  return figures;
}

// A temporary directory for the SQLite files, removed with them at the end.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/outbox_bench.XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary directory " + pattern);
    }
    path_ = pattern;
  }
  ~TempDir() { ::rmdir(path_.c_str()); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void remove_sqlite_files(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    ::unlink((path + suffix).c_str());
  }
}

OutboxFigures run_sqlite(const std::string& side, bool sync_every_commit, const TempDir& dir,
                         const std::shared_ptr<http::HttpTransport>& transport, const Args& args,
                         Receiver& receiver, const std::string& prefix) {
  const std::string path = dir.path() + "/" + side + ".db";
  remove_sqlite_files(path);
  OutboxFigures figures;
  try {
    outbox::SqliteStoreOptions options;
    options.sync_every_commit = sync_every_commit;
    auto store = outbox::open_sqlite_store(path, options);
    if (!store) throw std::runtime_error(side + ": open: " + store.error().to_string());
    figures = run_outbox(side, *store, transport, args, args.sqlite_workers, receiver, prefix);
  } catch (...) {
    remove_sqlite_files(path);
    throw;
  }
  remove_sqlite_files(path);
  return figures;
}

OutboxFigures run_postgres(const std::shared_ptr<http::HttpTransport>& transport, const Args& args,
                           Receiver& receiver, const std::string& prefix) {
  const std::string& uri = test_postgres::uri();
  outbox::PostgresStoreOptions options;
  options.schema = test_postgres::unique_name("outbox_bench");
  options.connections = static_cast<std::size_t>(std::max(4, args.workers));
  OutboxFigures figures;
  std::optional<std::string> failure;
  {
    auto store = outbox::open_postgres_store(uri, options);
    if (!store) throw std::runtime_error("postgres: open: " + store.error().to_string());
    try {
      figures = run_outbox("postgres", *store, transport, args, args.workers, receiver, prefix);
    } catch (const std::exception& error) {
      failure = error.what();
    }
  }  // The store's connections close before its schema is dropped.
  test_postgres::run_sql(uri, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS " +
                                  options.schema + " CASCADE");
  if (failure) throw std::runtime_error(*failure);
  return figures;
}

// Blocks SIGINT and SIGTERM in every thread (call before starting any) and turns them into
// `interrupted` on a thread of their own.
void handle_interrupts() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals] {
    int received = 0;
    sigwait(&signals, &received);
    std::fprintf(stderr, "outbox_bench: signal %d, stopping after the current step\n", received);
    interrupted.store(true);
  }).detach();
}

struct Side {
  const char* name;
  std::vector<double> rates;
  std::vector<double> ratios;
  std::vector<double> enqueue_us;
};

int run(const Args& args) {
  Receiver receiver;
  TempDir dir;

  http::CurlTransportOptions transport_options;
  transport_options.allow_private_addresses = true;  // The receiver is on loopback.
  transport_options.max_queued =
      std::max<std::size_t>(10000, static_cast<std::size_t>(args.messages));
  const std::shared_ptr<http::HttpTransport> transport =
      http::make_curl_transport(transport_options);

  delivery::DelivererOptions deliverer_options;
  deliverer_options.signing_keys = {kSigningKey};
  deliverer_options.retry.max_attempts = 1;  // As the workers: one attempt each.
  deliverer_options.retry.deadline = std::chrono::milliseconds(0);
  auto deliverer = delivery::Deliverer::create(transport, deliverer_options);
  if (!deliverer) throw std::runtime_error("Deliverer::create: " + deliverer.error().to_string());

  // Start (or find) the PostgreSQL server before timing anything, and warm up every path: the
  // connections of the transport, the server's caches, the page cache of the temporary files.
  (void)test_postgres::uri();
  const int warm = std::min(200, args.messages);
  Args warm_args = args;
  warm_args.messages = warm;
  run_memory(*deliverer, receiver, "warm-m-", warm);
  run_sqlite("sqlite", true, dir, transport, warm_args, receiver, "warm-s-");
  run_postgres(transport, warm_args, receiver, "warm-p-");

  Side memory{"memory", {}, {}, {}};
  Side sqlite{"sqlite", {}, {}, {}};
  Side sqlite_normal{"sqlite_normal", {}, {}, {}};
  Side postgres{"postgres", {}, {}, {}};
  for (int round = 1; round <= args.rounds; ++round) {
    const std::string tag = "r" + std::to_string(round) + "-";
    const double memory_rate = run_memory(*deliverer, receiver, tag + "m-", args.messages);
    check_interrupted();
    const auto s = run_sqlite("sqlite", true, dir, transport, args, receiver, tag + "s-");
    check_interrupted();
    const auto sn = run_sqlite("sqlite_normal", false, dir, transport, args, receiver, tag + "n-");
    check_interrupted();
    const auto p = run_postgres(transport, args, receiver, tag + "p-");
    check_interrupted();
    memory.rates.push_back(memory_rate);
    for (auto [side, figures] : {std::pair<Side*, OutboxFigures>{&sqlite, s},
                                 std::pair<Side*, OutboxFigures>{&sqlite_normal, sn},
                                 std::pair<Side*, OutboxFigures>{&postgres, p}}) {
      side->rates.push_back(figures.rate);
      side->ratios.push_back(figures.rate / memory_rate);
      side->enqueue_us.push_back(figures.enqueue_us);
    }
    std::fprintf(stderr,
                 "round %d: memory=%.0f/s sqlite=%.0f/s (%.3f, enqueue %.1f us) "
                 "sqlite_normal=%.0f/s (%.3f, enqueue %.1f us) postgres=%.0f/s (%.3f, enqueue "
                 "%.1f us)\n",
                 round, memory_rate, s.rate, s.rate / memory_rate, s.enqueue_us, sn.rate,
                 sn.rate / memory_rate, sn.enqueue_us, p.rate, p.rate / memory_rate, p.enqueue_us);
  }

  std::printf(
      "outbox_bench: memory=%.0f/s sqlite=%.0f/s postgres=%.0f/s sqlite_vs_memory=%.3f "
      "postgres_vs_memory=%.3f sqlite_enqueue_us=%.1f postgres_enqueue_us=%.1f "
      "sqlite_normal=%.0f/s sqlite_normal_vs_memory=%.3f sqlite_normal_enqueue_us=%.1f "
      "(median of %d rounds, %d messages; sqlite %d worker%s, synchronous FULL; postgres %d "
      "worker%s, %d connections; batch %d, idle_poll %d ms)\n",
      median(memory.rates), median(sqlite.rates), median(postgres.rates), median(sqlite.ratios),
      median(postgres.ratios), median(sqlite.enqueue_us), median(postgres.enqueue_us),
      median(sqlite_normal.rates), median(sqlite_normal.ratios), median(sqlite_normal.enqueue_us),
      args.rounds, args.messages, args.sqlite_workers, args.sqlite_workers == 1 ? "" : "s",
      args.workers, args.workers == 1 ? "" : "s", std::max(4, args.workers), args.batch,
      args.idle_poll_ms);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  handle_interrupts();
  try {
    return run(args);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "outbox_bench: FAILED: %s\n", error.what());
    return 1;  // Returning (not exit()ing from here) stops the private PostgreSQL server.
  }
}
