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
// handle() on one thread, and handle() again with deduplication off. Each figure is the median
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
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "chathooks/boticario/receiver.hpp"
#include "chathooks/cliengo/receiver.hpp"
#include "chathooks/flw/receiver.hpp"
#include "chathooks/flw/response_builder.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/idempotency_store.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/receiver/receiver.hpp"
#include "chathooks/receiver/request.hpp"
#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"

#include "bench_support.hpp"

namespace {

using namespace chathooks;
using Clock = std::chrono::steady_clock;

// Keeps results alive so the optimiser cannot drop the work.
volatile std::size_t g_sink = 0;

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

// Nanoseconds per request of `side` over a fresh batch of `count` requests, built (untimed)
// just before. Exits when a request is not got right: a figure for failures would be a lie.
double time_side(const char* payload, const char* name, const Side& side,
                 const signing::Signer& signer, const std::string& body, long count) {
  const auto batch = make_batch(signer, body, count);
  std::size_t right = 0;
  const auto start = Clock::now();
  for (const auto& request : batch) right += side(request) ? 1u : 0u;
  const auto elapsed = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  if (right != batch.size()) {
    std::fprintf(stderr, "error: %s %s: %zu of %zu requests failed\n", payload, name,
                 batch.size() - right, batch.size());
    std::exit(1);
  }
  return elapsed / static_cast<double>(count);
}

// A handle() side: every reply must be `handled` (a fresh id is never a duplicate).
Side handle_side(const receiver::Receiver& receiver) {
  return [receiver](const receiver::Request& request) {
    const receiver::Reply reply = receiver.handle(request);
    g_sink = g_sink + reply.response.body.size();
    return reply.disposition == receiver::Disposition::handled;
  };
}

struct Made {
  receiver::Receiver with_dedupe;
  receiver::Receiver without_dedupe;
  std::shared_ptr<receiver::MemoryIdempotencyStore> store;
};

// Builds the two receivers of one protocol through `make(options)`. The store is made here with
// MemoryIdempotencyStore's default limits, which is what the receiver would make itself when
// given none; holding it lets the bench report how many keys it ended with.
template <class Make>
Made make_receivers(const signing::Verifier& verifier, Make make) {
  auto store = receiver::MemoryIdempotencyStore::create().value();
  receiver::ReceiverOptions on;
  on.authenticator = receiver::standard_webhooks(verifier);
  on.idempotency_store = store;
  receiver::ReceiverOptions off;
  off.authenticator = receiver::standard_webhooks(verifier);
  off.deduplicate = false;
  return {make(std::move(on)).value(), make(std::move(off)).value(), store};
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

  const std::array<const Side*, 3> sides = {&dedupe, &nodedupe, &reference};
  const std::array<const char*, 3> names = {"handle", "handle_nodedupe", "reference"};
  std::array<std::vector<double>, 3> times;
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
  std::printf(
      "%s bytes=%zu handle_ns=%.0f reference_ns=%.0f ratio=%.3f handle_rps=%.0f "
      "nodedupe_ns=%.0f nodedupe_ratio=%.3f nodedupe_rps=%.0f store_keys=%zu\n",
      payload, body.size(), handle_ns, reference_ns, handle_ns / reference_ns, 1e9 / handle_ns,
      nodedupe_ns, nodedupe_ns / reference_ns, 1e9 / nodedupe_ns, made.store->size());
  std::fflush(stdout);
  return true;
}

void print_load(const char* name) {
  std::ifstream in("/proc/loadavg");
  double one = -1;
  in >> one;
  std::printf("%s=%.2f\n", name, one);
}

}  // namespace

int main(int argc, char** argv) {
  const perf::Args args = perf::parse_args(argc, argv);
  const int rounds = args.rounds;
  const int millis = args.millis;

  Secret secret;
  if (RAND_bytes(secret.bytes.data(), static_cast<int>(secret.bytes.size())) != 1) {
    std::fprintf(stderr, "error: no random bytes for the secret\n");
    return 1;
  }
  const auto signer = signing::Signer::create({secret.text()}).value();
  const auto verifier = signing::Verifier::create({secret.text()}).value();

  // The handlers do trivial work: count, and give a fixed answer. One thread calls them.
  std::size_t handled = 0;
  const Made flw_receivers = make_receivers(verifier, [&handled](receiver::ReceiverOptions o) {
    return flw::make_receiver(
        [&handled](const flw::Dispatch&,
                   const receiver::Delivery&) -> receiver::HandlerResult<flw::Response> {
          ++handled;
          return flw::ResponseBuilder().branch("CLIENTE_EXISTE").build();
        },
        std::move(o));
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
