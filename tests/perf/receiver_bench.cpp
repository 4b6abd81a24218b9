// receiver_bench: receiver::Receiver::handle() on each protocol's documented payload, timed side
// by side with the least any receiver must do with the same bytes: RapidJSON's
// Document::Parse of the body and one HMAC-SHA256 (OpenSSL EVP_MAC) over
// "<id>.<timestamp>.<body>" compared in constant time with the request's v1 signature.
//
//   receiver_bench [--rounds N] [--millis M]
//
// For each payload it prints `<payload> bytes=... handle_ns=... reference_ns=... ratio=...
// handle_rps=... nodedupe_ns=... nodedupe_ratio=... store_keys=...`: nanoseconds per request
// of handle() with deduplication on, of the reference, their ratio (handle / reference; 1.0
// would mean the receiver costs nothing beyond parsing and one HMAC), requests per second of
// handle() on one thread, and handle() again with deduplication off; observed_ns is that
// receiver with a metrics::Registry's observer (ReceiverOptions::observer), and
// observed_vs_plain the median over the slices of observed / deduplication-off time (the cost
// of observing; target <= 1.03). Each figure is the median
// of N rounds (default 7); in each round the sides alternate in short slices (about M / 4 ms
// of handle() each, default M = 200) so that machine noise hits them alike.
//
// What handle() does here: Standard Webhooks authentication (standard_webhooks(Verifier), one
// v1 key, the system clock), the protocol's typed decode, deduplication with the default
// MemoryIdempotencyStore, a handler that only counts and gives a fixed answer, and the encoding
// of that answer into the Reply. Every request carries a fresh webhook-id, so every one is
// claimed, handled and completed in the store, as in production; the store is filled to its
// 100,000-key bound before timing, so each of those also evicts the oldest key. No network is
// involved.
// Requests (ids, timestamps, signatures) are built before each timed slice, never inside it.
//
//   receiver_bench --stores [--rounds N] [--millis M]
//
// The cost per request of each shared IdempotencyStore against the in-memory one, on the Flw
// dispatch payload (deduplication on, the same authenticator and handler as above, a fresh
// webhook-id per request, so each is claimed then completed in the store). Sides: memory
// (MemoryIdempotencyStore, filled to its bound first, as above), sqlite (a temporary file,
// removed at exit with its -wal and -shm), postgres (a schema of its own, dropped at exit) and
// redis (a key prefix of its own; its keys expire with the receiver's 10-minute TTL), the two
// servers from the tests' support libraries (the ctest fixture's server, else a private one
// for the process, stopped at exit; NB PostgreSQL runs with fsync=off there). The network
// stores get one connection per thread (8). Two shapes: one thread calling handle() in a loop
// (latency) and 8 threads calling handle() at once on one shared receiver (throughput, what a
// server does). Each round runs every side and shape in 4 slices of about M / 4 ms each,
// alternating the order of the sides; requests are built before each slice. It prints
// `store=<side> threads=<1|8> ns=... rps=... vs_memory=...` per side and shape (nanoseconds of
// wall time per request and requests per second, medians over the N rounds; vs_memory the median
// of the rounds' rps ratios store / memory, < 1 means slower), then `sqlite_vs_memory=`,
// `postgres_vs_memory=`, `redis_vs_memory=` (vs_memory of the 8-thread shape) and
// `sqlite_store_us=`, `postgres_store_us=`, `redis_store_us=` (the median of the rounds'
// single-thread ns per request minus memory's, in microseconds: the store's own cost per
// request). Every reply must be 200 `handled` and the handler must have run once per request,
// else it exits with status 1. Exit status 77 when the PostgreSQL or Redis server binaries are
// absent (the support libraries print "SKIPPED: ..."). SIGINT or SIGTERM stops it after the
// current slice, with the servers stopped and the file and schema removed (status 1).
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <stdlib.h>
#include <unistd.h>

#include <rapidjson/document.h>

#include "chathooks/boticario/receiver.hpp"
#include "chathooks/cliengo/receiver.hpp"
#include "chathooks/flw/receiver.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "chathooks/metrics/registry.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/idempotency_store.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/receiver/postgres_idempotency_store.hpp"
#include "chathooks/receiver/receiver.hpp"
#include "chathooks/receiver/redis_idempotency_store.hpp"
#include "chathooks/receiver/request.hpp"
#include "chathooks/receiver/sqlite_idempotency_store.hpp"
#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"

#include "bench_support.hpp"
#include "postgres/postgres_server.hpp"
#include "redis/redis_server.hpp"

namespace {

using namespace chathooks;
using Clock = std::chrono::steady_clock;

// Keeps results alive so the optimiser cannot drop the work; one per thread, so that the
// threads of --stores do not race on it.
thread_local volatile std::size_t g_sink = 0;

std::string base64(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// The bench's v1 secret: 32 random bytes, raw for the reference and as `whsec_` text for the
// SDK's Signer and Verifier.
struct Secret {
  std::array<unsigned char, 32> bytes{};
  std::string text() const { return "whsec_" + base64(bytes.data(), bytes.size()); }
};

// One batch of signed requests, each with a fresh webhook-id, signed now.
std::vector<receiver::Request> make_batch(const signing::Signer& signer, const std::string& body,
                                          long count) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::string timestamp = std::to_string(now);
  std::vector<receiver::Request> batch(static_cast<std::size_t>(count));
  for (auto& request : batch) {
    std::string id = signing::new_message_id();
    std::string signature = signer.sign(id, now, body);
    request.method = "POST";
    request.headers = {{"Content-Type", "application/json"},
                       {"webhook-id", std::move(id)},
                       {"webhook-timestamp", timestamp},
                       {"webhook-signature", std::move(signature)}};
    request.body = body;
    request.remote_address = "127.0.0.1";
  }
  return batch;
}

// The reference: what any receiver of these requests must do at the least.
class Reference {
 public:
  explicit Reference(const Secret& secret) {
    mac_.reset(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    ctx_.reset(EVP_MAC_CTX_new(mac_.get()));
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    if (!ctx_ || EVP_MAC_init(ctx_.get(), secret.bytes.data(), secret.bytes.size(), params) != 1) {
      std::fprintf(stderr, "error: OpenSSL cannot make an HMAC-SHA256 context\n");
      std::exit(1);
    }
  }

  // True when the signature matches and the body parses. The context keeps its key: each call
  // only re-initialises it (EVP_MAC_init with a null key), the cheapest way OpenSSL offers.
  bool operator()(const receiver::Request& request) {
    const auto id = request.header("webhook-id");
    const auto timestamp = request.header("webhook-timestamp");
    const auto signature = request.header("webhook-signature");
    if (!id || !timestamp || !signature || signature->substr(0, 3) != "v1,") return false;
    std::array<unsigned char, 32> mac{};
    std::size_t mac_size = 0;
    bool ok = EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) == 1 && update(*id) && update(".") &&
              update(*timestamp) && update(".") && update(request.body) &&
              EVP_MAC_final(ctx_.get(), mac.data(), &mac_size, mac.size()) == 1 &&
              mac_size == mac.size();
    const std::string_view encoded = signature->substr(3);
    std::array<unsigned char, 48> given{};
    ok = ok && encoded.size() == 44 &&
         EVP_DecodeBlock(given.data(), reinterpret_cast<const unsigned char*>(encoded.data()),
                         44) == 33 &&
         CRYPTO_memcmp(mac.data(), given.data(), mac.size()) == 0;

    rapidjson::Document doc;
    doc.Parse(request.body.data(), request.body.size());
    ok = ok && !doc.HasParseError();
    g_sink = g_sink + (doc.IsObject() ? doc.MemberCount() : 0u);
    return ok;
  }

 private:
  bool update(std::string_view bytes) {
    return EVP_MAC_update(ctx_.get(), reinterpret_cast<const unsigned char*>(bytes.data()),
                          bytes.size()) == 1;
  }
  struct MacFree {
    void operator()(EVP_MAC* p) const { EVP_MAC_free(p); }
  };
  struct CtxFree {
    void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }
  };
  std::unique_ptr<EVP_MAC, MacFree> mac_;
  std::unique_ptr<EVP_MAC_CTX, CtxFree> ctx_;
};

// One timed side: true for each request it got right.
using Side = std::function<bool(const receiver::Request&)>;

// Nanoseconds (of wall time) per request of `side` over a fresh batch of `count` requests,
// built (untimed) just before. With `threads` > 1, that many threads share the batch, timed
// from their common start to the end of the last. Exits when a request is not got right: a
// figure for failures would be a lie.
double time_side(const char* payload, const char* name, const Side& side,
                 const signing::Signer& signer, const std::string& body, long count,
                 int threads = 1) {
  const auto batch = make_batch(signer, body, count);
  std::atomic<std::size_t> right{0};
  const auto run = [&side, &batch, &right](std::size_t first, std::size_t last) {
    std::size_t got = 0;
    for (std::size_t i = first; i < last; ++i) got += side(batch[i]) ? 1u : 0u;
    right += got;
  };
  auto start = Clock::now();
  if (threads <= 1) {
    run(0, batch.size());
  } else {
    const auto n = static_cast<std::size_t>(threads);
    std::atomic<std::size_t> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> workers;
    for (std::size_t t = 0; t < n; ++t) {
      workers.emplace_back(
          [&run, &ready, &go, first = batch.size() * t / n, last = batch.size() * (t + 1) / n] {
            ++ready;
            while (!go.load()) std::this_thread::yield();
            run(first, last);
          });
    }
    while (ready.load() < n) std::this_thread::yield();
    start = Clock::now();
    go = true;
    for (auto& worker : workers) worker.join();
  }
  const auto elapsed = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  if (right != batch.size()) {
    std::fprintf(stderr, "error: %s %s: %zu of %zu requests failed\n", payload, name,
                 batch.size() - right, batch.size());
    std::exit(1);
  }
  return elapsed / static_cast<double>(count);
}

// A handle() side: every reply must be `handled` (a fresh id is never a duplicate) and, when
// `status` is given, have that HTTP status.
Side handle_side(const receiver::Receiver& receiver, std::optional<int> status = std::nullopt) {
  return [receiver, status](const receiver::Request& request) {
    const receiver::Reply reply = receiver.handle(request);
    g_sink = g_sink + reply.response.body.size();
    return reply.disposition == receiver::Disposition::handled &&
           (!status || reply.response.status == *status);
  };
}

// The options of every receiver here: Standard Webhooks with `verifier`, deduplication in
// `store`, or none without one.
receiver::ReceiverOptions bench_options(const signing::Verifier& verifier,
                                        std::shared_ptr<receiver::IdempotencyStore> store) {
  receiver::ReceiverOptions options;
  options.authenticator = receiver::standard_webhooks(verifier);
  options.deduplicate = store != nullptr;
  options.idempotency_store = std::move(store);
  return options;
}

// The Flw receiver of the bench: its handler counts in `handled` (a std::size_t for one
// thread, a std::atomic for several) and gives a fixed answer.
template <class Counter>
auto make_flw_receiver(Counter& handled, receiver::ReceiverOptions options) {
  return flw::make_receiver(
      [&handled](const flw::Dispatch&,
                 const receiver::Delivery&) -> receiver::HandlerResult<flw::Response> {
        ++handled;
        return flw::ResponseBuilder().branch("CLIENTE_EXISTE").build();
      },
      std::move(options));
}

struct Made {
  receiver::Receiver with_dedupe;
  receiver::Receiver without_dedupe;
  // Without deduplication, with a metrics Registry's observer: what observing costs.
  receiver::Receiver observed;
  std::shared_ptr<receiver::MemoryIdempotencyStore> store;
};

// Builds the two receivers of one protocol through `make(options)`. The store is made here with
// MemoryIdempotencyStore's default limits, which is what the receiver would make itself when
// given none; holding it lets the bench report how many keys it ended with.
template <class Make>
Made make_receivers(const signing::Verifier& verifier, Make make) {
  auto store = receiver::MemoryIdempotencyStore::create().value();
  receiver::ReceiverOptions observed = bench_options(verifier, nullptr);
  observed.observer = metrics::Registry::create()->receiver_observer();
  return {make(bench_options(verifier, store)).value(),
          make(bench_options(verifier, nullptr)).value(), make(std::move(observed)).value(), store};
}

// The default store keeps at most 100,000 keys (and 64 MiB, which these small keys and answers
// never reach first). Each payload gets its own receiver and store, which this fills to that
// bound with handle() before anything is timed, so every timed request with deduplication
// claims a new key in a full store and evicts the oldest: the steady state of a production
// receiver taking more than 100,000 deliveries per 10-minute window (one with less traffic
// holds fewer keys, and its store is cheaper). store_keys= says where a run ended.
const std::size_t kStoreBound = receiver::MemoryIdempotencyStoreOptions{}.max_entries;

// handle() with deduplication on fresh requests, untimed, until the store is full.
void fill_store(const char* payload, const Side& dedupe, const Made& made,
                const signing::Signer& signer, const std::string& body) {
  while (made.store->size() < kStoreBound) {
    // In batches, so that the requests waiting to be handled stay a few MiB.
    const std::size_t count = std::min<std::size_t>(4096, kStoreBound - made.store->size());
    time_side(payload, "fill", dedupe, signer, body, static_cast<long>(count));
  }
}

bool bench(const char* payload, const std::string& body, const Made& made,
           const signing::Signer& signer, const Secret& secret, const std::size_t& handled,
           int rounds, int millis) {
  const Side dedupe = handle_side(made.with_dedupe);
  const Side nodedupe = handle_side(made.without_dedupe);
  const Side observed = handle_side(made.observed);
  Reference reference_state(secret);
  const Side reference = [&reference_state](const receiver::Request& request) {
    return reference_state(request);
  };
  fill_store(payload, dedupe, made, signer, body);
  const std::size_t handled_before = handled;
  long expected_calls = 0;

  // Calibrate on handle() with deduplication, the slowest side: about millis / 4 per slice.
  long iterations = 64;
  for (;;) {
    const double ns = time_side(payload, "handle", dedupe, signer, body, iterations);
    expected_calls += iterations;
    if (ns * static_cast<double>(iterations) >= millis * 1e6 / 4) break;
    iterations *= 2;
  }

  const std::array<const Side*, 4> sides = {&dedupe, &nodedupe, &reference, &observed};
  const std::array<const char*, 4> names = {"handle", "handle_nodedupe", "reference",
                                            "handle_observed"};
  std::array<std::vector<double>, 4> times;
  for (int r = 0; r < rounds; ++r) {
    for (int slice = 0; slice < 4; ++slice) {  // alternate the order within the round
      for (std::size_t k = 0; k < sides.size(); ++k) {
        const std::size_t i = slice % 2 == 0 ? k : sides.size() - 1 - k;
        times[i].push_back(time_side(payload, names[i], *sides[i], signer, body, iterations));
        if (i != 2) expected_calls += iterations;
      }
    }
  }
  if (handled - handled_before != static_cast<std::size_t>(expected_calls)) {
    std::fprintf(stderr, "error: %s: the handler ran %zu times, expected %ld\n", payload,
                 handled - handled_before, expected_calls);
    return false;
  }

  const double handle_ns = perf::median(times[0]);
  const double nodedupe_ns = perf::median(times[1]);
  const double reference_ns = perf::median(times[2]);
  // Observed against plain, slice by slice (the two ran next to each other), then the median.
  std::vector<double> observed_ratios;
  for (std::size_t j = 0; j < times[3].size(); ++j)
    observed_ratios.push_back(times[3][j] / times[1][j]);
  std::printf(
      "%s bytes=%zu handle_ns=%.0f reference_ns=%.0f ratio=%.3f handle_rps=%.0f "
      "nodedupe_ns=%.0f nodedupe_ratio=%.3f nodedupe_rps=%.0f store_keys=%zu "
      "observed_ns=%.0f observed_vs_plain=%.3f\n",
      payload, body.size(), handle_ns, reference_ns, handle_ns / reference_ns, 1e9 / handle_ns,
      nodedupe_ns, nodedupe_ns / reference_ns, 1e9 / nodedupe_ns, made.store->size(),
      perf::median(times[3]), perf::median(observed_ratios));
  std::fflush(stdout);
  return true;
}

void print_load(const char* name) {
  std::ifstream in("/proc/loadavg");
  double one = -1;
  in >> one;
  std::printf("%s=%.2f\n", name, one);
}

// --stores: the threads of the concurrent shape, and the connections of each network store.
constexpr int kStoreThreads = 8;

// What --stores leaves behind, removed at exit (also when a failed request ends the program):
// the SQLite file, and the PostgreSQL schema.
std::string g_sqlite_path;
std::string g_postgres_schema;

void remove_store_leftovers() {
  if (!g_sqlite_path.empty()) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      ::unlink((g_sqlite_path + suffix).c_str());
    }
  }
  if (!g_postgres_schema.empty()) {
    try {
      test_postgres::run_sql(test_postgres::uri(),
                             "SET client_min_messages = warning; DROP SCHEMA IF EXISTS " +
                                 g_postgres_schema + " CASCADE");
    } catch (const std::exception& error) {
      std::fprintf(stderr, "warning: cannot drop schema %s: %s\n", g_postgres_schema.c_str(),
                   error.what());
    }
  }
}

// The shared stores, each new and of its own: an SQLite file in $TMPDIR, a PostgreSQL schema,
// a Redis key prefix. Exits when one cannot be opened.
std::shared_ptr<receiver::IdempotencyStore> open_store(const char* name) {
  Result<std::shared_ptr<receiver::IdempotencyStore>> store =
      Error{Errc::invalid_argument, "no such store"};
  if (std::strcmp(name, "sqlite") == 0) {
    const char* base = std::getenv("TMPDIR");
    std::string path =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/receiver_bench.XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0) {
      std::fprintf(stderr, "error: cannot create a temporary file %s\n", path.c_str());
      std::exit(1);
    }
    ::close(fd);
    g_sqlite_path = path;
    store = receiver::open_sqlite_idempotency_store(path);
  } else if (std::strcmp(name, "postgres") == 0) {
    receiver::PostgresIdempotencyStoreOptions options;
    options.schema = test_postgres::unique_name("receiver_bench");
    options.connections = kStoreThreads;
    g_postgres_schema = options.schema;
    store = receiver::open_postgres_idempotency_store(test_postgres::uri(), options);
  } else if (std::strcmp(name, "redis") == 0) {
    receiver::RedisIdempotencyStoreOptions options;
    options.key_prefix = test_redis::unique_prefix("receiver_bench");
    options.connections = kStoreThreads;
    store = receiver::open_redis_idempotency_store(test_redis::uri(), options);
  }
  if (!store) {
    std::fprintf(stderr, "error: cannot open the %s store: %s\n", name,
                 store.error().to_string().c_str());
    std::exit(1);
  }
  return *store;
}

// --stores: set by SIGINT or SIGTERM, which stop the run between slices, so that it ends
// through its cleanup (the private servers stopped, the SQLite file and schema removed).
std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) { g_interrupted = true; }

// One side of --stores: a Flw receiver deduplicating in its store, and per shape (0: one
// thread, 1: kStoreThreads) the requests of a slice and the ns per request of each round.
struct StoreSide {
  const char* name;
  Side handle;
  std::array<long, 2> iterations;
  std::array<std::vector<double>, 2> ns;
};

int run_stores(const signing::Signer& signer, const signing::Verifier& verifier, int rounds,
               int millis) {
  // Find or start both servers first: without their binaries this exits with 77, leaving
  // nothing behind. The leftovers' cleanup is registered after them, so it runs before they
  // stop.
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  (void)test_postgres::uri();
  (void)test_redis::uri();
  std::atexit(remove_store_leftovers);

  const std::string body = perf::load("flw_dispatch.json");
  const char* const payload = "flw_dispatch";
  std::atomic<std::size_t> handled{0};
  const auto make = [&handled](receiver::ReceiverOptions o) {
    return make_flw_receiver(handled, std::move(o));
  };
  const Made memory = make_receivers(verifier, make);
  std::vector<StoreSide> sides;
  const auto add = [&sides](const char* name, const receiver::Receiver& receiver) {
    sides.push_back({name, handle_side(receiver, 200), {64, 64}, {}});
  };
  add("memory", memory.with_dedupe);
  for (const char* name : {"sqlite", "postgres", "redis"}) {
    add(name, make(bench_options(verifier, open_store(name))).value());
  }
  fill_store(payload, sides[0].handle, memory, signer, body);

  const std::array<int, 2> threads = {1, kStoreThreads};
  std::size_t expected = handled;
  // Calibrate each side and shape (which also warms up connections and caches): about
  // millis / 4 per slice.
  for (auto& side : sides) {
    for (std::size_t shape = 0; shape < threads.size(); ++shape) {
      long& iterations = side.iterations[shape];
      for (;;) {
        const double ns =
            time_side(payload, side.name, side.handle, signer, body, iterations, threads[shape]);
        expected += static_cast<std::size_t>(iterations);
        if (g_interrupted) return 1;
        if (ns * static_cast<double>(iterations) >= millis * 1e6 / 4) break;
        iterations *= 2;
      }
    }
  }

  // Per round, per side and shape: the wall time of its 4 slices over their requests.
  for (int r = 0; r < rounds; ++r) {
    std::vector<std::array<double, 2>> total(sides.size());
    for (int slice = 0; slice < 4; ++slice) {  // alternate the order within the round
      for (std::size_t k = 0; k < sides.size(); ++k) {
        const std::size_t i = slice % 2 == 0 ? k : sides.size() - 1 - k;
        for (std::size_t shape = 0; shape < threads.size(); ++shape) {
          const long count = sides[i].iterations[shape];
          total[i][shape] += time_side(payload, sides[i].name, sides[i].handle, signer, body, count,
                                       threads[shape]);
          expected += static_cast<std::size_t>(count);
          if (g_interrupted) return 1;
        }
      }
    }
    for (std::size_t i = 0; i < sides.size(); ++i) {
      for (std::size_t shape = 0; shape < threads.size(); ++shape) {
        sides[i].ns[shape].push_back(total[i][shape] / 4);
      }
    }
  }
  if (handled != expected) {
    std::fprintf(stderr, "error: stores: the handler ran %zu times, expected %zu\n", handled.load(),
                 expected);
    return 1;
  }

  // The median over the rounds of f(side's ns, memory's ns) in each round.
  const auto per_round = [&sides](const StoreSide& side, std::size_t shape, auto f) {
    std::vector<double> values;
    for (std::size_t r = 0; r < side.ns[shape].size(); ++r) {
      values.push_back(f(side.ns[shape][r], sides[0].ns[shape][r]));
    }
    return perf::median(values);
  };
  const auto rps_ratio = [](double ns, double memory_ns) { return memory_ns / ns; };
  for (const auto& side : sides) {
    for (std::size_t shape = 0; shape < threads.size(); ++shape) {
      const double ns = perf::median(side.ns[shape]);
      std::printf("store=%s threads=%d ns=%.0f rps=%.0f vs_memory=%.3f\n", side.name,
                  threads[shape], ns, 1e9 / ns, per_round(side, shape, rps_ratio));
    }
  }
  for (std::size_t i = 1; i < sides.size(); ++i) {
    std::printf("%s_vs_memory=%.3f\n", sides[i].name, per_round(sides[i], 1, rps_ratio));
  }
  for (std::size_t i = 1; i < sides.size(); ++i) {
    std::printf(
        "%s_store_us=%.1f\n", sides[i].name,
        per_round(sides[i], 0, [](double ns, double memory_ns) { return (ns - memory_ns) / 1e3; }));
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // --stores is a flag; the rest are bench_support's `--rounds N --millis M`.
  bool stores = false;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (i > 0 && std::strcmp(argv[i], "--stores") == 0) {
      stores = true;
    } else {
      rest.push_back(argv[i]);
    }
  }
  const perf::Args args = perf::parse_args(static_cast<int>(rest.size()), rest.data());
  const int rounds = args.rounds;
  const int millis = args.millis;

  Secret secret;
  if (RAND_bytes(secret.bytes.data(), static_cast<int>(secret.bytes.size())) != 1) {
    std::fprintf(stderr, "error: no random bytes for the secret\n");
    return 1;
  }
  const auto signer = signing::Signer::create({secret.text()}).value();
  const auto verifier = signing::Verifier::create({secret.text()}).value();
  if (stores) {
    print_load("load_average_1m_start");
    const int status = run_stores(signer, verifier, rounds, millis);
    if (g_interrupted) std::fprintf(stderr, "receiver_bench: interrupted\n");
    print_load("load_average_1m_end");
    return status;
  }

  // The handlers do trivial work: count, and give a fixed answer. One thread calls them.
  std::size_t handled = 0;
  const Made flw_receivers = make_receivers(verifier, [&handled](receiver::ReceiverOptions o) {
    return make_flw_receiver(handled, std::move(o));
  });
  const auto make_boticario = [&handled](receiver::ReceiverOptions o) {
    return boticario::make_receiver(
        [&handled](const boticario::Event&,
                   const receiver::Delivery&) -> receiver::HandlerResult<void> {
          ++handled;
          return {};
        },
        std::move(o));
  };
  // One pair per Boticario payload, so that each starts with an empty store.
  const Made boticario_receivers = make_receivers(verifier, make_boticario);
  const Made boticario_status_receivers = make_receivers(verifier, make_boticario);
  const Made cliengo_receivers = make_receivers(verifier, [&handled](receiver::ReceiverOptions o) {
    return cliengo::make_receiver(
        [&handled](const cliengo::Memory&,
                   const receiver::Delivery&) -> receiver::HandlerResult<cliengo::Response> {
          ++handled;
          return cliengo::Response{};
        },
        std::move(o));
  });

  print_load("load_average_1m_start");
  bool ok = true;
  ok = ok && bench("flw_dispatch", perf::load("flw_dispatch.json"), flw_receivers, signer, secret,
                   handled, rounds, millis);
  ok = ok && bench("boticario_message_event", perf::load("boticario_message_event.json"),
                   boticario_receivers, signer, secret, handled, rounds, millis);
  ok = ok && bench("boticario_status_delivered", perf::load("boticario_status_delivered.json"),
                   boticario_status_receivers, signer, secret, handled, rounds, millis);
  ok = ok && bench("cliengo_request", perf::load("cliengo_request.json"), cliengo_receivers, signer,
                   secret, handled, rounds, millis);
  print_load("load_average_1m_end");
  return ok ? 0 : 1;
}
