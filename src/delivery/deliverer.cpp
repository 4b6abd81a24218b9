// Deliverer: creation and the synchronous path. The asynchronous path is in
// async_delivery.cpp.
#include "chathooks/delivery/deliverer.hpp"

#include <mutex>
#include <thread>
#include <utility>

#include "core/callback_scope.hpp"
#include "delivery/async_delivery.hpp"
#include "delivery/attempt.hpp"
#include "delivery/delivery_tracker.hpp"

namespace chathooks::delivery {

DeliveryHandle::DeliveryHandle(std::function<void()> cancel)
    : cancel_(cancel ? std::make_shared<const std::function<void()>>(std::move(cancel)) : nullptr) {
}

void DeliveryHandle::cancel() const {
  if (cancel_) (*cancel_)();
}

// What the copies of one Deliverer share, and nothing else holds: when the last copy goes, the
// deliveries still pending (which hold the Impl, not this) are cancelled.
struct Deliverer::Owner {
  explicit Owner(std::shared_ptr<const Impl> i) : impl(std::move(i)) {}
  // Like shutdown(): waits only for callbacks already running on other threads.
  ~Owner() {
    impl->tracker->drain(std::chrono::steady_clock::time_point::min(),
                         !chathooks::detail::in_callback());
  }
  Owner(const Owner&) = delete;
  Owner& operator=(const Owner&) = delete;

  const std::shared_ptr<const Impl> impl;
};

Result<Deliverer> Deliverer::create(std::shared_ptr<http::HttpTransport> transport,
                                    DelivererOptions options) {
  if (!transport) return Error(Errc::invalid_argument, "Deliverer needs a transport");
  if (options.signer && !options.signing_keys.empty()) {
    return Error(Errc::invalid_argument, "set signing_keys or signer, not both");
  }
  std::optional<signing::Signer> signer = std::move(options.signer);
  if (!options.signing_keys.empty()) {
    auto created = signing::Signer::create(std::move(options.signing_keys));
    if (!created.ok()) return std::move(created).error();
    signer = std::move(created).value();
  }

  RandomSource random = std::move(options.random);
  if (random) {
    // A test's random source is rarely thread-safe; deliveries may run concurrently.
    random = [source = std::move(random), mutex = std::make_shared<std::mutex>()] {
      std::lock_guard<std::mutex> lock(*mutex);
      return source();
    };
  }

  auto impl = std::make_shared<Impl>(Impl{
      std::move(transport),
      RetrySchedule(options.retry, std::move(random)),
      std::move(signer),
      options.system_now ? std::move(options.system_now)
                         : [] { return std::chrono::system_clock::now(); },
      options.steady_now ? std::move(options.steady_now)
                         : [] { return std::chrono::steady_clock::now(); },
      options.sleep ? std::move(options.sleep)
                    : [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); },
      options.scheduler ? std::move(options.scheduler) : make_thread_scheduler(),
      std::make_shared<detail::DeliveryTracker>(),
      std::move(options.observer),
      std::move(options.label),
      options.make_traceparent,
      std::move(options.endpoints),
  });
  return Deliverer(std::make_shared<const Owner>(std::move(impl)));
}

Deliverer::Deliverer(std::shared_ptr<const Owner> owner) : owner_(std::move(owner)) {}

std::size_t Deliverer::drain(std::chrono::steady_clock::time_point deadline) const {
  return owner_->impl->tracker->drain(deadline, !chathooks::detail::in_callback());
}

std::size_t Deliverer::shutdown() const {
  return drain(std::chrono::steady_clock::time_point::min());
}

const RetrySchedule& Deliverer::schedule() const noexcept { return owner_->impl->schedule; }

bool Deliverer::signs() const noexcept { return owner_->impl->signer.has_value(); }

SendResult<void> Deliverer::deliver(http::HttpRequest request) const {
  const Impl& impl = *owner_->impl;
  detail::Progress progress;
  progress.record.message_id = detail::message_id_for(impl, request);
  const detail::DeliveryEvents events =
      detail::events_for(impl, request, progress.record.message_id);
  const auto end = [&events, &progress] {
    events.delivery_end(progress.record, progress.error ? &*progress.error : nullptr);
    return std::move(progress).finish();
  };
  const auto start = impl.steady_now();
  std::chrono::milliseconds delay{0};
  for (int number = 1;; ++number) {
    Admission admission;
    if (impl.endpoints) {
      admission = impl.endpoints->admit(request.url);
      if (admission.verdict == Admission::Verdict::refuse) {
        progress.error = *admission.error;
        return end();
      }
      if (admission.verdict == Admission::Verdict::wait) {
        impl.sleep(admission.wait);
        delay += admission.wait;
      }
    }
    auto attempt = detail::prepare_attempt(impl, request, progress.record.message_id,
                                           detail::to_ms(impl.steady_now() - start));
    if (!attempt.ok()) {
      if (impl.endpoints)
        impl.endpoints->record(request.url, Error(Errc::cancelled, "not sent"), admission.probe);
      progress.error = attempt.error();
      return end();
    }
    events.attempt_start(number, delay);
    const auto sent_at = impl.steady_now();
    auto outcome = impl.transport->send(attempt->request);
    const auto done_at = impl.steady_now();
    if (impl.endpoints) impl.endpoints->record(request.url, outcome, admission.probe);
    const auto next = detail::record_outcome(impl, progress, number, delay,
                                             detail::to_ms(done_at - sent_at), attempt->timestamp,
                                             std::move(outcome), detail::to_ms(done_at - start));
    events.attempt_end(progress.record.attempts.back(), done_at - sent_at, next);
    if (!next) return end();
    delay = *next;
    impl.sleep(delay);
  }
}

DeliveryHandle Deliverer::deliver_async(http::HttpRequest request,
                                        SendCallback<void> callback) const {
  // Whatever ends inside this call (a refusal, a transport that completes inline) hands its
  // callback to the scheduler: callbacks never run inside the call that started the work.
  const chathooks::detail::CallerScope caller;
  auto operation = std::make_shared<detail::AsyncDelivery>(owner_->impl, std::move(request),
                                                           std::move(callback));
  const std::uint64_t id = owner_->impl->tracker->add(operation);
  if (id == 0) {
    // Drained or shut down: refused like a request that cannot be prepared.
    operation->refuse(Error(Errc::cancelled, "the Deliverer is shut down (drain or shutdown)"));
    return DeliveryHandle();
  }
  operation->start();
  std::weak_ptr<detail::AsyncDelivery> weak = operation;
  return DeliveryHandle([weak] {
    const chathooks::detail::CallerScope cancelling;  // Nor inside cancel().
    if (auto alive = weak.lock()) alive->cancel();
  });
}

}  // namespace chathooks::delivery

namespace chathooks::delivery {

PendingSend<void> Deliverer::deliver_async(http::HttpRequest request) const {
  auto [callback, future] = detail::promised_callback<void>();
  DeliveryHandle handle = deliver_async(std::move(request), std::move(callback));
  return PendingSend<void>{std::move(future), std::move(handle)};
}

}  // namespace chathooks::delivery
