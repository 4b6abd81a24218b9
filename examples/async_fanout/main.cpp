// Many webhook deliveries in flight at once from ONE application thread, with the SDK's
// asynchronous API: the main thread hands 300 Boticario status events to
// boticario::Client::send_async() without waiting for any of them; libcurl's multi
// interface carries them on the transport's one worker thread, the Deliverer's timer thread runs
// the retries, and the completion callbacks count the outcomes while the main thread waits on a
// condition variable. Then it cancels deliveries stuck at a receiver that hangs, and shows what a
// full transport queue does (it refuses at once with Errc::queue_full; it never blocks).
// The receivers are the SDK's own, on 127.0.0.1 (loopback_receivers.hpp); the example checks that
// every delivered event was handled exactly once and exits 0 when all behaved.
//   async_fanout        (no arguments)
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "async_fanout/loopback_receivers.hpp"
#include "chathooks/boticario/client.hpp"
#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/signing/keys.hpp"

using namespace chathooks;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kEvents = 300;  // status events in the fan-out
constexpr int kWindow = 128;  // most fan-out deliveries the main thread keeps outstanding
constexpr int kHung = 5;      // deliveries the hung receiver holds until they are cancelled
// A bound on every wait, far above what the example needs even under sanitizers on a busy
// machine: past it the example fails with an error rather than hang.
constexpr std::chrono::seconds kLimit{60};

// The fan-out's destinations, by event number: three in five steady, one flaky, one slow.
enum class To { steady, flaky, slow };
To destination(int i) { return i % 5 == 3 ? To::flaky : i % 5 == 4 ? To::slow : To::steady; }

// A "delivered" status event for the message with id `id`.
boticario::Event status_event(const std::string& id) {
  boticario::StatusEvent event;
  boticario::EventInfo& info = event.event.emplace();
  info.message_id = id;
  info.type = boticario::EventType::status;
  info.status = boticario::DeliveryStatus::delivered;
  boticario::Message& message = event.message.emplace();
  message.message_id = "wamid." + id;
  message.to = "+5544999999999";
  message.status = boticario::MessageStatus::delivered;
  return event;
}

// Where the completion callbacks report. They run on the transport's worker thread, on the
// Deliverer's timer thread or on a thread that cancels, so all of it is under one mutex, and the
// main thread waits on the condition variable rather than polling. The callbacks share ownership
// (std::shared_ptr), so one that came after main() gave up and returned would still find it.
class Tally {
 public:
  explicit Tally(int count) : results_(static_cast<std::size_t>(count)) {}

  // Main thread, before each send: waits while `window` deliveries are outstanding. This is the
  // host's own back-pressure (see the fan-out below). False at `deadline`.
  bool begin(int window, Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (outstanding_ >= window) {
      ++held_back_;
      if (!changed_.wait_until(lock, deadline, [&] { return outstanding_ < window; })) return false;
    }
    peak_ = std::max(peak_, ++outstanding_);
    return true;
  }
  // Any thread: delivery number `index` ended. Quick, as a callback should be.
  void finish(int index, delivery::SendResult<void> result) {
    std::lock_guard<std::mutex> lock(mutex_);
    results_[static_cast<std::size_t>(index)] = std::move(result);
    --outstanding_;
    ++finished_;
    changed_.notify_all();
  }
  // Main thread: waits until every delivery ended; false at `deadline`. Once it returned true no
  // callback writes any more, so results() may be read without the lock.
  bool wait_all(Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_until(lock, deadline, [&] { return finished_ == results_.size(); });
  }
  std::size_t finished() {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished_;
  }
  const std::vector<std::optional<delivery::SendResult<void>>>& results() const { return results_; }
  int peak() const { return peak_; }
  int held_back() const { return held_back_; }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::optional<delivery::SendResult<void>>> results_;
  std::size_t finished_ = 0;
  int outstanding_ = 0;
  int peak_ = 0;
  int held_back_ = 0;
};

int fail(const std::string& why) {
  fmt::print(stderr, "error: {}\n", why);
  return 1;
}

bool saw_queue_full(const delivery::SendResult<void>& result) {
  return std::any_of(result.delivery.attempts.begin(), result.delivery.attempts.end(),
                     [](const auto& attempt) {
                       return attempt.error && attempt.error->code() == Errc::queue_full;
                     });
}

}  // namespace

int main(int argc, char**) {
  if (argc > 1) return fmt::print(stderr, "usage: async_fanout (no arguments)\n"), 2;
  const std::string secret = signing::generate_secret().value();
  auto verifier = signing::Verifier::create({secret});
  if (!verifier) return fail(verifier.error().to_string());
  async_fanout::LoopbackReceivers peers;
  if (std::string why; !peers.start(*verifier, why)) return fail(why);
  fmt::print("receivers on 127.0.0.1 (Boticario, signatures verified):\n");
  fmt::print("  steady {}  acknowledges at once\n", peers.steady_url());
  fmt::print("  flaky  {}  503, Retry-After: 0 to each event's first attempt\n", peers.flaky_url());
  fmt::print("  slow   {}  {} ms per event\n", peers.slow_url(), async_fanout::kSlowWork.count());
  fmt::print("  hung   {}  answers nothing until the end\n", peers.hung_url());

  // --- 1. The fan-out ------------------------------------------------------------------------
  // One CurlTransport carries every delivery: its worker thread drives all transfers at once.
  http::CurlTransportOptions options;
  options.allow_private_addresses = true;  // the receivers are on loopback; never in production
  // No more connections to one receiver than it can take: these close each connection after one
  // request, and cpp-httplib listens with a backlog of 5; a burst of more new connections
  // overflows it, the kernel drops the extra SYNs and curl resends them only a second later.
  // curl holds the other transfers in its own queue and starts each as a connection frees up.
  options.max_connections_per_host = 4;
  options.max_connections_total = 3 * 4;  // three destinations
  // A transfer's timeout counts the wait for a free connection too, so it must cover a full
  // window queued behind the slowest receiver, not just one request.
  options.timeout = std::chrono::seconds(10);
  // max_queued bounds what the transport accepts and has not completed. Beyond it send_async()
  // does not block the caller: the attempt fails at once, on the calling thread, with
  // Errc::queue_full. The Deliverer counts that as transient and retries after its backoff, so a
  // short overflow costs latency; a sustained one ends in attempts_exhausted. So the host holds
  // itself back instead: the main thread keeps at most kWindow deliveries outstanding (a
  // delivery has at most one transfer in the queue at a time), below max_queued, which keeps
  // room for anything else sharing the transport. queue_full then means a bug, and is reported.
  options.max_queued = 2 * kWindow;
  // The default RetryPolicy suits this (3 attempts within 20 s); the flaky receiver's
  // `Retry-After: 0` replaces its backoff. One signing key, the receivers' secret.
  delivery::DelivererOptions delivery_options;
  delivery_options.signing_keys = {secret};
  auto sender = boticario::Client::create(http::make_curl_transport(options), delivery_options);
  if (!sender) return fail(sender.error().to_string());

  const std::string urls[] = {peers.steady_url(), peers.flaky_url(), peers.slow_url()};
  auto id_of = [](int i) { return fmt::format("evt-{:03}", i); };
  auto fanout = std::make_shared<Tally>(kEvents);
  const auto started = Clock::now();
  for (int i = 0; i < kEvents; ++i) {
    if (!fanout->begin(kWindow, started + kLimit))
      return fail(fmt::format("no room in the window after {} s", kLimit.count()));
    // Returns at once; the callback runs later on another thread (keep the DeliveryHandle to be
    // able to cancel, as section 2 does).
    sender->send_async(
        status_event(id_of(i)), urls[static_cast<int>(destination(i))],
        [fanout, i](delivery::SendResult<void> result) { fanout->finish(i, std::move(result)); });
  }
  if (!fanout->wait_all(started + kLimit))
    return fail(fmt::format("{} of {} deliveries still pending after {} s",
                            kEvents - static_cast<int>(fanout->finished()), kEvents,
                            kLimit.count()));
  const std::chrono::duration<double> wall = Clock::now() - started;

  int delivered = 0, retried = 0, failed = 0, queue_full = 0;
  std::vector<std::string> problems;
  for (int i = 0; i < kEvents; ++i) {
    const delivery::SendResult<void>& result = *fanout->results()[static_cast<std::size_t>(i)];
    const bool flaky = destination(i) == To::flaky;
    if (result.delivery.attempts.size() > 1) ++retried;
    if (saw_queue_full(result)) ++queue_full;
    if (!result.ok()) {
      ++failed;
      problems.push_back(id_of(i) + ": " + result.error().to_string());
    } else {
      ++delivered;
      if (int n = peers.ledger.times_handled(id_of(i)); n != 1)
        problems.push_back(fmt::format("{}: delivered but handled {} times", id_of(i), n));
    }
    if (flaky && (result.delivery.attempts.size() < 2 || result.delivery.attempts[0].status != 503))
      problems.push_back(id_of(i) + ": the flaky receiver's 503 was not retried");
  }
  fmt::print("fan-out: {} Boticario status events from one thread, at most {} outstanding\n",
             kEvents, kWindow);
  fmt::print("  sent {}, delivered {}, retried {} (attempts > 1), failed {}, queue_full {}\n",
             kEvents, delivered, retried, failed, queue_full);
  fmt::print(
      "  peak in flight {} (main thread held back {} times), {:.2f} s, {:.0f} deliveries/s\n",
      fanout->peak(), fanout->held_back(), wall.count(), kEvents / wall.count());
  fmt::print("  receivers handled {} events\n", peers.ledger.total());
  if (peers.ledger.total() != delivered)
    problems.push_back(fmt::format("the receivers handled {} events, {} were delivered",
                                   peers.ledger.total(), delivered));
  if (queue_full > 0) problems.push_back("the transport refused transfers with queue_full");

  // --- 2. Cancelling, and a full queue -------------------------------------------------------
  // A receiver that hangs holds its transfers until they time out. This one gets a transport of
  // its own whose queue holds kHung transfers (a bulkhead: it cannot take the shared queue), and
  // its deliveries wait longer before a retry, since a full queue clears only as transfers end.
  http::CurlTransportOptions hung_options;
  hung_options.allow_private_addresses = true;
  hung_options.max_queued = kHung;
  delivery::DelivererOptions hung_delivery = delivery_options;
  hung_delivery.retry.initial_delay = std::chrono::seconds(2);
  auto hung_sender =
      boticario::Client::create(http::make_curl_transport(hung_options), hung_delivery);
  if (!hung_sender) return fail(hung_sender.error().to_string());

  auto hung = std::make_shared<Tally>(kHung + 1);
  std::vector<delivery::DeliveryHandle> handles;
  auto send_hung = [&](int i) {
    hung->begin(kHung + 1, Clock::now() + kLimit);  // room for all: returns at once
    handles.push_back(hung_sender->send_async(
        status_event(fmt::format("hung-{}", i)), peers.hung_url(),
        [hung, i](delivery::SendResult<void> result) { hung->finish(i, std::move(result)); }));
  };
  for (int i = 0; i < kHung; ++i) send_hung(i);
  if (!peers.gate.wait_held(kHung, kLimit))
    return fail("the hung receiver never got the deliveries");
  // Its queue is full now: the next attempt is refused at once, on this thread, with
  // queue_full, and the Deliverer schedules a retry instead of blocking the caller.
  send_hung(kHung);
  // Cancel the waiting one first (it ends at once, its callback normally on this thread), then
  // the five in flight (the worker thread aborts each transfer and reports Errc::cancelled).
  std::for_each(handles.rbegin(), handles.rend(), [](const auto& handle) { handle.cancel(); });
  if (!hung->wait_all(Clock::now() + kLimit)) return fail("cancelled deliveries did not end");
  peers.gate.open();

  int cancelled = 0;
  for (const auto& result : hung->results())
    if (!result->ok() && result->error().code() == Errc::cancelled) ++cancelled;
  const bool refused_full = saw_queue_full(*hung->results().back());
  fmt::print("cancelling: {} held by the hung receiver, 1 more refused by its full queue\n", kHung);
  fmt::print("  cancelled {} of {} (Errc::cancelled); the extra one's first attempt: {}\n",
             cancelled, kHung + 1, refused_full ? "queue_full" : "not queue_full");
  if (cancelled != kHung + 1) problems.push_back("not every cancelled delivery ended cancelled");
  if (!refused_full) problems.push_back("the extra delivery was not refused with queue_full");

  for (const auto& problem : problems) fmt::print(stderr, "error: {}\n", problem);
  fmt::print("{}\n", problems.empty() ? "ok" : "FAILED");
  return problems.empty() ? 0 : 1;
}
