// The outbox Worker and enqueue(): one attempt per leased message, decided by RetrySchedule's
// rules over the outbox's own schedule, recorded and settled in the store.
#include "chathooks/outbox/worker.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "chathooks/delivery/retry_schedule.hpp"
#include "chathooks/delivery/signed_attempt.hpp"
#include "chathooks/signing/signer.hpp"
#include "delivery/delivery_events.hpp"
#include "outbox/endpoint_sync.hpp"

namespace chathooks::outbox {

namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;
using Clock = std::function<system_clock::time_point()>;

// How often run_until_empty() looks at the store while only other workers' messages are in
// flight.
constexpr milliseconds kInFlightPoll{20};

Clock clock_or_default(Clock clock) {
  if (clock) return clock;
  return [] { return system_clock::now(); };
}

milliseconds ms_between(system_clock::time_point from, system_clock::time_point to) {
  return std::chrono::duration_cast<milliseconds>(to - from);
}

// The signing headers each attempt sets; a stored request never carries them.
void remove_signing_headers(http::HttpHeaders& headers) {
  headers.remove("webhook-id");
  headers.remove("webhook-timestamp");
  headers.remove("webhook-signature");
}

// "<code>: <message>", as the attempt log and the CLI show an error.
std::string with_code(const Error& error) {
  return std::string(to_string(error.code())) + ": " + error.to_string();
}

std::string describe(const Result<http::HttpResponse>& outcome) {
  if (outcome.ok()) return "HTTP " + std::to_string(outcome->status);
  return with_code(outcome.error());
}

// `at + wait`, held at the clock's largest time instead of overflowing (a Retry-After date far
// in the future with no cap, a schedule of centuries).
system_clock::time_point saturating_add(system_clock::time_point at, milliseconds wait) {
  using Duration = system_clock::duration;
  const auto room = std::chrono::duration_cast<milliseconds>(system_clock::time_point::max() - at);
  if (wait >= room) return system_clock::time_point::max();
  return at + std::chrono::duration_cast<Duration>(wait);
}

// One leased message's attempt: what was sent back, and when.
struct Flight {
  Lease lease;
  http::HttpRequest request;
  system_clock::time_point started_at{};
  std::optional<Result<http::HttpResponse>> outcome;
  milliseconds duration{0};
  std::chrono::nanoseconds elapsed{0};
  // The endpoint policy's slot: send this long after the batch starts; whether it is the
  // breaker's probe.
  milliseconds delay{0};
  bool probe = false;
  // Why the message is dead, when it is (set with the settlement).
  std::optional<Error> verdict;
  // What the observer and the log hear about this message.
  delivery::detail::DeliveryEvents events;
};

// The outcomes of a batch of async sends, shared with their callbacks: a callback that comes
// after the worker stopped waiting (a transport that overran the lease) writes here, not into a
// finished stack frame.
struct Landing {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::optional<Result<http::HttpResponse>>> outcomes;
  std::vector<std::chrono::nanoseconds> durations;
  std::size_t left = 0;

  void land(std::size_t index, Result<http::HttpResponse> outcome,
            std::chrono::nanoseconds duration) {
    std::lock_guard<std::mutex> lock(mutex);
    if (outcomes[index]) return;  // Exactly once, whatever the transport does.
    outcomes[index].emplace(std::move(outcome));
    durations[index] = duration;
    --left;
    changed.notify_all();
  }
};

}  // namespace

std::vector<milliseconds> default_schedule() {
  using std::chrono::hours;
  using std::chrono::minutes;
  using std::chrono::seconds;
  return {seconds(5), minutes(5), minutes(30), hours(2), hours(5), hours(10), hours(10)};
}

Result<StoredMessage> make_message(http::HttpRequest request, EnqueueOptions options) {
  if (request.url.empty()) return Error(Errc::invalid_argument, "enqueue: the request has no URL");
  const auto now = clock_or_default(std::move(options.system_now))();
  StoredMessage message;
  message.id = delivery::ensure_message_id(request);
  remove_signing_headers(request.headers);
  message.kind = std::move(options.kind);
  message.request = std::move(request);
  message.state = MessageState::pending;
  message.created_at = now;
  message.next_attempt_at = options.not_before.value_or(now);
  return message;
}

Result<void> enable_endpoint(OutboxStore& store, std::string_view endpoint,
                             std::function<system_clock::time_point()> system_now) {
  EndpointRecord record;
  record.endpoint = delivery::EndpointPolicy::endpoint_of(endpoint);
  if (record.endpoint.empty()) {
    return Error(Errc::invalid_argument,
                 "not an endpoint: \"" + std::string(endpoint) + "\" (expected a URL)");
  }
  record.state = delivery::EndpointState::closed;
  record.updated_at = clock_or_default(system_now)();
  return store.save_endpoint(record);
}

Result<std::string> enqueue(OutboxStore& store, http::HttpRequest request, EnqueueOptions options) {
  auto message = make_message(std::move(request), std::move(options));
  if (!message) return std::move(message).error();
  auto stored = store.enqueue(*message);
  if (!stored.ok()) return std::move(stored).error();
  return std::move(message->id);
}

struct Worker::Impl {
  std::shared_ptr<OutboxStore> store;
  std::shared_ptr<http::HttpTransport> transport;
  std::optional<signing::Signer> signer;
  delivery::RetrySchedule decisions;
  WorkerOptions options;
  Clock now;
  std::shared_ptr<detail::EndpointSync> endpoint_sync;  // null without options.endpoints

  // The request of one attempt: the stored one with this attempt's webhook-* headers.
  Result<http::HttpRequest> prepare(const StoredMessage& message,
                                    system_clock::time_point at) const {
    http::HttpRequest request = message.request;
    // An attempt must end (and be settled) while its lease holds: a longer timeout is cut.
    const milliseconds longest = options.lease * 3 / 4;
    if (request.timeout > longest) request.timeout = longest;
    if (signer) {
      auto signed_ok = delivery::sign_attempt(request, *signer, message.id, at);
      if (!signed_ok.ok()) return std::move(signed_ok).error();
    } else {
      auto set = request.headers.set("webhook-id", message.id);
      if (!set.ok()) return std::move(set).error();
    }
    return request;
  }

  // What becomes of a message after attempt number `number` ended with `outcome`.
  // `flight.verdict` gets the reason of a dead message.
  Settlement decide(Flight& flight, int number, system_clock::time_point at) const {
    const auto elapsed = ms_between(flight.lease.message.created_at, at);
    const auto decision = decisions.decide(number, *flight.outcome, elapsed, at);
    Settlement settlement;
    switch (decision.verdict) {
      case delivery::RetryVerdict::delivered:
        settlement.kind = Settlement::Kind::delivered;
        break;
      case delivery::RetryVerdict::retry: {
        settlement.kind = Settlement::Kind::retry;
        const auto index = static_cast<std::size_t>(number - 1);
        const milliseconds wait = decision.from_retry_after || index >= options.schedule.size()
                                      ? decision.delay
                                      : options.schedule[index];
        settlement.next_attempt_at = saturating_add(at, wait);
        settlement.reason = describe(*flight.outcome);
        break;
      }
      case delivery::RetryVerdict::give_up:
        settlement.kind = Settlement::Kind::dead;
        flight.verdict = decision.error ? *decision.error : Error(Errc::internal, "given up");
        settlement.reason = with_code(*flight.verdict);
        break;
    }
    return settlement;
  }

  // Sends every flight over the async path (at once with a transport that has one; one after
  // another with one that only implements send()) and waits for all of them, at most until the
  // earliest lease expires: a transfer still under way then is cancelled and settled as a
  // timeout, so a transport that never calls back cannot hang the worker.
  void fly(std::vector<Flight>& flights) const {
    if (flights.empty()) return;
    auto landing = std::make_shared<Landing>();
    landing->outcomes.resize(flights.size());
    landing->durations.resize(flights.size());
    landing->left = flights.size();
    std::vector<http::TransferHandle> handles(flights.size());
    auto expiry = flights.front().lease.expires_at;
    for (const Flight& flight : flights) expiry = std::min(expiry, flight.lease.expires_at);
    // Flights the rate limit delays go last, each when its slot is due; the others at once.
    std::stable_sort(flights.begin(), flights.end(),
                     [](const Flight& a, const Flight& b) { return a.delay < b.delay; });
    const auto batch_start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < flights.size(); ++i) {
      if (flights[i].delay.count() > 0) {
        std::this_thread::sleep_until(batch_start + flights[i].delay);
      }
      flights[i].started_at = now();
      flights[i].events.attempt_start(flights[i].lease.message.attempts + 1, milliseconds(0));
      const auto started = std::chrono::steady_clock::now();
      auto callback = [landing, i, started](Result<http::HttpResponse> outcome) {
        landing->land(i, std::move(outcome), std::chrono::steady_clock::now() - started);
      };
      try {
        // The callback may run before send_async() returns, on this thread or another.
        handles[i] = transport->send_async(flights[i].request, std::move(callback));
      } catch (const std::exception& thrown) {
        landing->land(i,
                      Error(Errc::internal, std::string("the transport threw: ") + thrown.what()),
                      std::chrono::nanoseconds(0));
      }
    }
    std::unique_lock<std::mutex> lock(landing->mutex);
    while (landing->left > 0) {
      const auto wall = now();
      if (wall >= expiry) break;
      landing->changed.wait_for(
          lock, std::min<milliseconds>(std::chrono::duration_cast<milliseconds>(expiry - wall),
                                       milliseconds(100)));
    }
    for (std::size_t i = 0; i < flights.size(); ++i) {
      if (!landing->outcomes[i]) {
        lock.unlock();
        handles[i].cancel();
        lock.lock();
        if (!landing->outcomes[i]) {
          landing->outcomes[i].emplace(
              Error(Errc::timeout, "no outcome before the worker's lease expired"));
          landing->durations[i] = now() - flights[i].started_at;
        }
      }
      flights[i].outcome = std::move(landing->outcomes[i]);
      if (options.endpoints)
        options.endpoints->record(flights[i].request.url, *flights[i].outcome, flights[i].probe);
      flights[i].elapsed = landing->durations[i];
      flights[i].duration = std::chrono::duration_cast<milliseconds>(flights[i].elapsed);
    }
  }

  // One batch, with the endpoint policy's breakers kept in step with the store before it (the
  // fleet's changes, read every endpoint_sync) and after it (this batch's changes, saved).
  Result<RunSummary> run_once() const {
    if (endpoint_sync) {
      if (auto synced = endpoint_sync->sync(*store); !synced) return synced.error();
    }
    auto summary = run_batch();
    if (endpoint_sync && summary.ok()) {
      if (auto synced = endpoint_sync->sync(*store); !synced) return synced.error();
    }
    return summary;
  }

  Result<RunSummary> run_batch() const {
    auto leased = store->lease(options.batch, now(), options.lease);
    if (!leased.ok()) return std::move(leased).error();
    RunSummary summary;
    std::vector<Flight> flights;
    flights.reserve(leased->size());
    for (Lease& lease : *leased) {
      Flight flight;
      flight.lease = std::move(lease);
      flight.events = delivery::detail::DeliveryEvents(
          options.observer, "outbox", flight.lease.message.request, flight.lease.message.id);
      auto request = prepare(flight.lease.message, now());
      if (request.ok()) {
        flight.request = std::move(request).value();
      } else {
        flight.started_at = now();
        flight.outcome.emplace(request.error());  // Settled below as the error it is.
      }
      flights.push_back(std::move(flight));
    }
    std::vector<Flight> sendable;
    std::optional<Error> failure;
    for (Flight& flight : flights) {
      if (flight.outcome) continue;
      if (options.endpoints && !admit(flight, summary, failure)) continue;
      sendable.push_back(std::move(flight));
    }
    fly(sendable);
    for (Flight& flight : flights) {
      if (flight.outcome) sendable.push_back(std::move(flight));  // The unsendable ones.
    }
    // The whole batch in one settle_all() (one commit); should that fail, each flight on its
    // own, so that every one is settled (and reported) even when one settlement fails: those
    // attempts were made. The first store failure is returned after.
    std::vector<SettleItem> items;
    items.reserve(sendable.size());
    for (Flight& flight : sendable) items.push_back(settle_item(flight));
    auto together = store->settle_all(items);
    if (together.ok() && together->size() == items.size()) {
      for (std::size_t i = 0; i < items.size(); ++i) {
        report(sendable[i], items[i], (*together)[i], summary);
      }
      if (failure) return *failure;
      return summary;
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto settled = store->settle(*items[i].lease, items[i].attempt, items[i].settlement);
      const bool lost = !settled.ok() && settled.error().code() == Errc::lease_lost;
      if (!settled.ok() && !lost) {
        if (!failure) failure = settled.error();
        continue;
      }
      report(sendable[i], items[i], !lost, summary);
    }
    if (failure) return *failure;
    return summary;
  }

  // Asks the endpoint policy about `flight`: false when the message is not sent in this batch.
  // Its endpoint paused, or the rate limit's slot too far off: handed back to the store, due
  // when the endpoint may take it, with no attempt counted. Its endpoint disabled: its outcome
  // is the refusal, settled with the unsendable ones (dead). A store failure is kept in
  // `failure`; the lease then expires and counts as an attempt.
  bool admit(Flight& flight, RunSummary& summary, std::optional<Error>& failure) const {
    const delivery::Admission admission = options.endpoints->admit(flight.request.url);
    using Verdict = delivery::Admission::Verdict;
    if (admission.verdict == Verdict::refuse &&
        admission.error->code() == Errc::endpoint_disabled) {
      flight.started_at = now();
      flight.outcome.emplace(*admission.error);  // settled with the unsendable ones
      return false;
    }
    milliseconds later{0};
    if (admission.verdict == Verdict::refuse) {
      // Paused: come back when a probe may go (a probe under way: soon).
      later = std::max(admission.wait, milliseconds(1000));
    } else if (admission.verdict == Verdict::wait && admission.wait > options.lease / 4) {
      options.endpoints->record(flight.request.url,
                                Error(Errc::cancelled, "deferred by the rate limit"),
                                admission.probe);
      later = admission.wait;
    } else {
      flight.delay = admission.wait;
      flight.probe = admission.probe;
      return true;
    }
    auto deferred = store->defer(flight.lease, saturating_add(now(), later));
    if (deferred.ok()) {
      ++summary.deferred;
    } else if (deferred.error().code() != Errc::lease_lost && !failure) {
      failure = deferred.error();
    }
    return false;
  }

  // The attempt `flight` made and what becomes of its message.
  SettleItem settle_item(Flight& flight) const {
    const int number = flight.lease.message.attempts + 1;
    SettleItem item;
    item.lease = &flight.lease;
    item.attempt.number = number;
    item.attempt.started_at = flight.started_at;
    item.attempt.duration = flight.duration;
    if (flight.outcome->ok()) {
      item.attempt.status = (*flight.outcome)->status;
    } else {
      item.attempt.error = with_code(flight.outcome->error());
    }
    item.settlement = decide(flight, number, now());
    return item;
  }

  // Counts a settled (or lost) attempt and tells the observer.
  void report(const Flight& flight, const SettleItem& item, bool settled,
              RunSummary& summary) const {
    const Settlement& settlement = item.settlement;
    const AttemptLog& attempt = item.attempt;
    const bool lost = !settled;
    if (lost) {
      ++summary.lost;
    } else if (settlement.kind == Settlement::Kind::delivered) {
      ++summary.delivered;
    } else if (settlement.kind == Settlement::Kind::retry) {
      ++summary.retried;
    } else {
      ++summary.dead;
    }
    if (options.on_attempt) {
      options.on_attempt(AttemptEvent{flight.lease.message, attempt, settlement, !lost});
    }
    observe(flight, settlement, lost);
  }

  // Tells the observer and the log of the attempt, and of the delivery's end when the message
  // is delivered or dead (a lost lease ends nothing: another worker attempts the message).
  void observe(const Flight& flight, const Settlement& settlement, bool lost) const {
    delivery::DeliveryRecord record;
    record.message_id = flight.lease.message.id;
    delivery::Attempt attempt;
    attempt.number = flight.lease.message.attempts + 1;
    attempt.duration = flight.duration;
    if (flight.outcome->ok()) {
      attempt.status = (*flight.outcome)->status;
      record.response = **flight.outcome;
    } else {
      attempt.error = flight.outcome->error();
    }
    std::optional<milliseconds> next;
    if (!lost && settlement.kind == Settlement::Kind::retry)
      next = std::max(ms_between(now(), settlement.next_attempt_at), milliseconds(0));
    flight.events.attempt_end(attempt, flight.elapsed, next);
    record.attempts.push_back(std::move(attempt));
    if (lost || settlement.kind == Settlement::Kind::retry) return;
    flight.events.delivery_end(record, flight.verdict ? &*flight.verdict : nullptr);
  }

  // Sleeps until `until` or at most `longest`, in short slices so that `stop` is seen soon.
  void nap(std::optional<system_clock::time_point> until, milliseconds longest,
           const std::atomic<bool>& stop) const {
    const auto limit = std::chrono::steady_clock::now() + longest;
    while (!stop.load()) {
      const auto steady = std::chrono::steady_clock::now();
      if (steady >= limit || (until && now() >= *until)) return;
      std::this_thread::sleep_for(std::min<milliseconds>(
          milliseconds(20), std::chrono::duration_cast<milliseconds>(limit - steady)));
    }
  }

  Result<RunSummary> loop(const std::atomic<bool>& stop, bool until_empty) const {
    RunSummary total;
    while (!stop.load()) {
      auto once = run_once();
      if (!once.ok()) return std::move(once).error();
      total.delivered += once->delivered;
      total.retried += once->retried;
      total.dead += once->dead;
      total.lost += once->lost;
      if (once->delivered + once->retried + once->dead + once->lost > 0) continue;
      // Messages in flight elsewhere (another worker's batch) end soon, settled or retried,
      // or their leases expire: run_until_empty looks again shortly rather than a whole
      // idle_poll later, which would idle this worker through another's last batches.
      milliseconds longest = options.idle_poll;
      if (until_empty) {
        auto counts = store->counts();
        if (!counts.ok()) return std::move(counts).error();
        if (counts->pending == 0 && counts->in_flight == 0) break;
        if (counts->in_flight > 0) longest = std::min(longest, kInFlightPoll);
      }
      auto due = store->next_due();
      if (!due.ok()) return std::move(due).error();
      nap(*due, longest, stop);
    }
    return total;
  }
};

Result<Worker> Worker::create(std::shared_ptr<OutboxStore> store,
                              std::shared_ptr<http::HttpTransport> transport,
                              WorkerOptions options) {
  if (!store) return Error(Errc::invalid_argument, "Worker needs a store");
  if (!transport) return Error(Errc::invalid_argument, "Worker needs a transport");
  if (options.batch == 0) return Error(Errc::invalid_argument, "Worker batch must be at least 1");
  if (options.lease <= milliseconds(0)) {
    return Error(Errc::invalid_argument, "Worker lease must be positive");
  }
  // A zero idle_poll would lease in a tight loop, holding the store's write lock; an enormous
  // one would overflow the clock.
  if (options.idle_poll <= milliseconds(0) || options.idle_poll > std::chrono::hours(24)) {
    return Error(Errc::invalid_argument, "Worker idle_poll must be from 1 ms to 24 h");
  }
  if (options.endpoint_sync < milliseconds(0) || options.endpoint_sync > std::chrono::hours(24)) {
    return Error(Errc::invalid_argument, "Worker endpoint_sync must be from 0 to 24 h");
  }
  for (const milliseconds wait : options.schedule) {
    if (wait < milliseconds(0)) return Error(Errc::invalid_argument, "negative wait in schedule");
  }
  std::optional<signing::Signer> signer = std::move(options.signer);
  if (!signer && !options.signing_keys.empty()) {
    auto created = signing::Signer::create(options.signing_keys);
    if (!created.ok()) return std::move(created).error();
    signer = std::move(created).value();
  }
  delivery::RetryPolicy policy;
  policy.max_attempts = static_cast<int>(options.schedule.size()) + 1;
  policy.deadline = milliseconds(0);  // None: the schedule's length bounds a message's life.
  policy.jitter = 0;
  policy.retry_after_cap = options.retry_after_cap;
  Clock now = clock_or_default(options.system_now);
  std::shared_ptr<detail::EndpointSync> endpoint_sync;
  if (options.endpoints) {
    endpoint_sync =
        std::make_shared<detail::EndpointSync>(options.endpoints, now, options.endpoint_sync);
  }
  auto impl = std::make_shared<const Impl>(Impl{
      std::move(store), std::move(transport), std::move(signer), delivery::RetrySchedule(policy),
      std::move(options), std::move(now), std::move(endpoint_sync)});
  return Worker(std::move(impl));
}

Worker::Worker(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Result<RunSummary> Worker::run_once() const { return impl_->run_once(); }

Result<RunSummary> Worker::run(const std::atomic<bool>& stop) const {
  return impl_->loop(stop, false);
}

Result<RunSummary> Worker::run_until_empty(const std::atomic<bool>& stop) const {
  return impl_->loop(stop, true);
}

}  // namespace chathooks::outbox
