// Preparing and recording one attempt: shared by the synchronous and asynchronous paths.
#include "delivery/attempt.hpp"

#include <algorithm>
#include <utility>

#include "chathooks/delivery/signed_attempt.hpp"
#include "chathooks/trace_context.hpp"

namespace chathooks::delivery::detail {

using std::chrono::milliseconds;

milliseconds to_ms(std::chrono::steady_clock::duration duration) {
  const auto ms = std::chrono::duration_cast<milliseconds>(duration);
  return ms.count() > 0 ? ms : milliseconds(0);
}

std::string message_id_for(const Deliverer::Impl& impl, http::HttpRequest& request) {
  if (impl.make_traceparent && !request.headers.get(kTraceParentHeader)) {
    // A TraceParent's text is always a valid header value.
    (void)request.headers.set(std::string(kTraceParentHeader), TraceParent::generate().to_string());
  }
  if (impl.signer) return ensure_message_id(request);
  return request.headers.get(signing::kIdHeader).value_or(std::string());
}

DeliveryEvents events_for(const Deliverer::Impl& impl, const http::HttpRequest& request,
                          const std::string& message_id) {
  return DeliveryEvents(impl.observer, impl.label, request, message_id);
}

Result<PreparedAttempt> prepare_attempt(const Deliverer::Impl& impl, const http::HttpRequest& base,
                                        const std::string& message_id, milliseconds elapsed) {
  PreparedAttempt attempt{base, std::nullopt};
  const auto deadline = impl.schedule.policy().deadline;
  if (deadline.count() > 0) {
    // The schedule never starts an attempt past the deadline, but a late wake-up can; 1 ms
    // keeps "0 = the transport's default" from meaning "no limit" here.
    const auto left = std::max(deadline - elapsed, milliseconds(1));
    if (attempt.request.timeout.count() <= 0 || attempt.request.timeout > left) {
      attempt.request.timeout = left;
    }
  }
  if (impl.signer) {
    const auto now = impl.system_now();
    auto signed_ok = sign_attempt(attempt.request, *impl.signer, message_id, now);
    if (!signed_ok.ok()) return std::move(signed_ok).error();
    attempt.timestamp = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  }
  return attempt;
}

SendResult<void> Progress::finish() && {
  if (error) return SendResult<void>{Result<void>(std::move(*error)), std::move(record)};
  return SendResult<void>{Result<void>(), std::move(record)};
}

std::optional<milliseconds> record_outcome(const Deliverer::Impl& impl, Progress& progress,
                                           int number, milliseconds delay_before,
                                           milliseconds duration,
                                           std::optional<std::int64_t> timestamp,
                                           Result<http::HttpResponse> outcome,
                                           milliseconds elapsed) {
  const RetryDecision decision = impl.schedule.decide(number, outcome, elapsed, impl.system_now());

  Attempt record;
  record.number = number;
  record.delay_before = delay_before;
  record.duration = duration;
  record.timestamp = timestamp;
  if (outcome.ok()) {
    record.status = outcome->status;
    progress.record.response = std::move(outcome).value();
  } else {
    record.error = outcome.error();
  }
  progress.record.attempts.push_back(std::move(record));

  switch (decision.verdict) {
    case RetryVerdict::delivered:
      progress.error.reset();
      return std::nullopt;
    case RetryVerdict::retry:
      return decision.delay;
    case RetryVerdict::give_up:
      break;
  }
  progress.error = decision.error
                       ? *decision.error
                       : Error(Errc::internal, "the retry schedule gave up without a reason");
  return std::nullopt;
}

}  // namespace chathooks::delivery::detail
