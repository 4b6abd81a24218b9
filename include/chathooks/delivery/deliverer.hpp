// Delivers one webhook request with retries, over any HttpTransport: signs every attempt
// (Standard Webhooks, when keys or a Signer are configured), follows RetrySchedule's decisions
// and reports every attempt. Synchronous deliver() waits between attempts with the Sleeper on
// the calling thread; deliver_async() never blocks a thread while it waits: the next attempt
// is a timer on a Scheduler.
//
// Thread-safety: a Deliverer is immutable after create() and safe to share; copies share the
// same internals (transport, signer, scheduler) and the same asynchronous deliveries.
// deliver(), deliver_async(), drain() and shutdown() may be called from any number of threads
// at once. The injected clocks, sleeper and scheduler must then be callable from several threads
// (the defaults are); an injected random source is called under a lock of the Deliverer's, so it
// need not be.
//
// Shutting down: every asynchronous delivery ends in exactly one way, delivered or its callback
// run with an Error (Errc::cancelled when stopped), never dropped in silence. drain(deadline)
// lets the pending ones finish until the deadline and cancels the rest; shutdown() cancels them
// at once; destroying the last copy of a Deliverer (or of a client holding it) without either
// does what shutdown() does. A delivery whose retry timer task or transfer callback is destroyed
// without running (a host scheduler or transport that stops) ends with Errc::cancelled too, on
// the thread that destroyed it. See drain() for the callback threads and the calls made from
// inside a callback.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chathooks/delivery/endpoint_policy.hpp"
#include "chathooks/delivery/observer.hpp"
#include "chathooks/delivery/retry_schedule.hpp"
#include "chathooks/delivery/scheduler.hpp"
#include "chathooks/delivery/send_result.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/message.hpp"
#include "chathooks/http/transport.hpp"
#include "chathooks/signing/signer.hpp"

/// Getting one webhook request delivered: the retry policy (RetrySchedule, parse_retry_after),
/// per-attempt signing (sign_attempt), the Deliverer that runs it all synchronously or
/// asynchronously, and the Scheduler its asynchronous waits use.
namespace chathooks::delivery {

/// Settings of a Deliverer, fixed at creation. Every hook is optional: empty means the real
/// thing.
struct DelivererOptions {
  /// When and how often to retry.
  RetryPolicy retry;
  /// Signing keys (`whsec_...`, bare base64 or `whsk_...`; several for rotation): the
  /// Deliverer builds a signing::Signer from them. Empty, and no `signer`: requests are sent
  /// unsigned. Setting both this and `signer` is an Errc::invalid_argument.
  std::vector<std::string> signing_keys;
  /// A ready Signer, instead of signing_keys.
  std::optional<signing::Signer> signer;
  /// Wall clock: the webhook-timestamp of each attempt and Retry-After dates. Default:
  /// std::chrono::system_clock::now.
  std::function<std::chrono::system_clock::time_point()> system_now;
  /// Monotonic clock: attempt durations and the deadline. Default: steady_clock::now.
  std::function<std::chrono::steady_clock::time_point()> steady_now;
  /// Blocks the calling thread of deliver() between attempts. Default:
  /// std::this_thread::sleep_for. Never called by deliver_async().
  std::function<void(std::chrono::milliseconds)> sleep;
  /// Jitter source for the schedule. Default: a per-thread engine (see RandomSource).
  RandomSource random;
  /// Timers of deliver_async(). Default: make_thread_scheduler(), one timer thread for this
  /// Deliverer and its copies, started the first time an asynchronous delivery has to wait
  /// (so a Deliverer used only synchronously, or whose deliveries succeed at once, starts none).
  std::shared_ptr<Scheduler> scheduler;
  /// Sees every attempt and the end of every delivery, live (observer.hpp); null: none. Use
  /// observe_all() for several (e.g. metrics and the host's own).
  std::shared_ptr<DeliveryObserver> observer;
  /// The name observers, metrics and logs give this Deliverer's deliveries
  /// (DeliveryInfo::protocol). The protocol clients set "flw", "boticario" or "cliengo" when
  /// it is empty.
  std::string label;
  /// Circuit breakers and rate limits per endpoint (endpoint_policy.hpp), shared with other
  /// Deliverers, clients and outbox Workers given the same policy; null: none. An attempt the
  /// breaker refuses ends the delivery at once with Errc::circuit_open or
  /// Errc::endpoint_disabled (no attempt made; retry later, or let the outbox do it); an
  /// attempt over the rate limit waits for its slot (deliver() on its thread, deliver_async()
  /// on a timer), and the wait counts in the attempt's delay_before.
  std::shared_ptr<EndpointPolicy> endpoints;
  /// Give a request without a W3C `traceparent` header a new one (a new trace, sampled), the
  /// same on every attempt of the delivery. A request that has one keeps it, on every attempt.
  bool make_traceparent = false;
};

/// Cancels one asynchronous delivery. Copies refer to the same delivery; a default-constructed
/// handle does nothing. cancel() may be called from any thread, any number of times, before or
/// after the delivery ended, and never blocks on the network. A delivery waiting between
/// attempts ends with Errc::cancelled without starting another attempt: at once, its callback
/// on the scheduler's thread (never inside cancel() itself; see Deliverer::deliver_async). An
/// attempt in flight is cancelled through the transport's TransferHandle, and the delivery then
/// ends when the transport reports (with Errc::cancelled, unless the attempt had already finished:
/// a 2xx is still reported as delivered). No further attempt starts.
class CHATHOOKS_API DeliveryHandle {
 public:
  /// A handle that cancels nothing.
  DeliveryHandle() = default;
  /// A handle whose cancel() calls `cancel`.
  explicit DeliveryHandle(std::function<void()> cancel);

  /// Asks the delivery to stop; see the class comment.
  void cancel() const;
  /// Whether this handle can cancel anything.
  explicit operator bool() const noexcept { return static_cast<bool>(cancel_); }

 private:
  std::shared_ptr<const std::function<void()>> cancel_;
};

/// An asynchronous send as a std::future, for callers that would rather wait than be called
/// back: `result` becomes ready exactly once, when the send ends (delivered, failed or
/// cancelled: never a broken promise), and `handle` cancels it.
///
///   std::vector<delivery::PendingSend<void>> sends;
///   for (auto& request : requests) sends.push_back(deliverer.deliver_async(request));
///   for (auto& send : sends) report(send.result.get());
///
/// Do not wait on `result` inside an SDK callback or observer: the thread that would end the
/// send may be the one waiting.
template <class T>
struct PendingSend {
  /// The outcome, once the send ended.
  std::future<SendResult<T>> result;
  /// Cancels the send (DeliveryHandle::cancel).
  DeliveryHandle handle;
};

namespace detail {
/// A callback that fulfils a promise, and that promise's future: how the future overloads are
/// built on the callback ones.
template <class T>
std::pair<SendCallback<T>, std::future<SendResult<T>>> promised_callback() {
  auto promise = std::make_shared<std::promise<SendResult<T>>>();
  std::future<SendResult<T>> future = promise->get_future();
  return {[promise](SendResult<T> result) { promise->set_value(std::move(result)); },
          std::move(future)};
}
}  // namespace detail

/// Delivers requests with signing and retries. Create one per destination policy and share it.
class CHATHOOKS_API Deliverer {
 public:
  /// A Deliverer over `transport`. Errc::invalid_argument for a null transport or both
  /// signing_keys and signer set; Errc::invalid_secret for a key the Signer cannot decode.
  static Result<Deliverer> create(std::shared_ptr<http::HttpTransport> transport,
                                  DelivererOptions options = {});

  /// Sends `request` until delivered or the schedule gives up, waiting between attempts on the
  /// calling thread. When signing, the message id is the request's webhook-id if it has one,
  /// else a new one, and each attempt gets a fresh webhook-timestamp and webhook-signature.
  /// With a deadline, each attempt's timeout is the time left (or the request's own timeout,
  /// if shorter).
  /// The result holds no value: success means delivered (the 2xx is
  /// SendResult::delivery.response).
  SendResult<void> deliver(http::HttpRequest request) const;

  /// The same without blocking: attempts go through transport.send_async() and the waits
  /// between them are Scheduler timers. `callback` runs exactly once. Which thread runs it, the
  /// one rule for every asynchronous send (the clients' send_async() included): never inside
  /// the call that started or cancelled the work. It runs on the thread that completed it: the
  /// transport's (the curl transport's worker; the host's loop, inside on_socket() or
  /// on_timer(), for HttpTransport implementations such as HostDrivenCurlTransport), or the
  /// Scheduler's (the Deliverer's timer thread by default, the host's loop for a host
  /// Scheduler) for everything else: a refusal (a request that cannot be prepared, an endpoint
  /// the EndpointPolicy refuses, a Deliverer already drained or shut down: Errc::cancelled), a
  /// cancellation through DeliveryHandle::cancel(), an attempt the transport completed inside
  /// send_async(). The one exception is ending work on purpose: drain(), shutdown() and
  /// destroying the last copy run the callbacks of what they cancel on their own thread before
  /// returning, and a Scheduler that throws or drops the task makes the callback run where
  /// that happened. It should be quick and should not throw (what it throws is dropped).
  DeliveryHandle deliver_async(http::HttpRequest request, SendCallback<void> callback) const;

  /// deliver_async() with a future instead of a callback (see PendingSend).
  PendingSend<void> deliver_async(http::HttpRequest request) const;

  /// Ends every asynchronous delivery started through this Deliverer and its copies: refuses
  /// new ones from now on (deliver_async() then ends them at once with Errc::cancelled; deliver()
  /// is not affected), waits until every pending one has ended, retries included, or `deadline`
  /// passes, then cancels what remains: each of those callbacks runs with Errc::cancelled on
  /// the calling thread (an attempt in flight is recorded as cancelled and its transfer
  /// cancelled; its late outcome is ignored). Before drain returns, every callback has run and
  /// returned, those running on other threads at that moment included. Returns how many
  /// deliveries it cancelled. It is final: a drained Deliverer stays closed. Calling it again
  /// is harmless (returns 0).
  ///
  /// Called from inside an SDK callback (a delivery callback of any Deliverer, or any code on
  /// the curl transport's worker or the timer thread), drain cannot wait: the thread it would
  /// block may be the one that ends the other deliveries. It then acts as shutdown() and does
  /// not wait for callbacks running on other threads either.
  ///
  /// It drains this Deliverer only, not its transport, which other Deliverers and clients may
  /// share: drain or destroy the transport after them (HttpTransport::drain).
  ///
  /// Because drain (and shutdown(), and destroying the last copy) waits for callbacks running
  /// on other threads, do not call it while holding a lock that a callback takes: the two
  /// would wait for each other. A delivery ended as cancelled may still have reached its
  /// receiver (its answer was on the way when it was cancelled): receivers deduplicate on the
  /// webhook-id, so sending it again is safe.
  std::size_t drain(std::chrono::steady_clock::time_point deadline) const;

  /// drain() with a deadline already past: refuses new deliveries and cancels every pending
  /// one at once (callbacks on the calling thread). Returns how many it cancelled.
  std::size_t shutdown() const;

  /// The retry schedule in use.
  const RetrySchedule& schedule() const noexcept;
  /// Whether attempts are signed.
  bool signs() const noexcept;

  /// The internals a delivery shares; opaque.
  struct Impl;

 private:
  /// What only the copies share (a delivery holds its Impl, not this): shuts down when
  /// released.
  struct Owner;
  explicit Deliverer(std::shared_ptr<const Owner> owner);
  std::shared_ptr<const Owner> owner_;
};

}  // namespace chathooks::delivery
