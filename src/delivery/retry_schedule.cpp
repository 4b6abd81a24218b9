// RetrySchedule: the classification of outcomes, the jittered exponential backoff and the
// deadline and attempt limits.
#include "chathooks/delivery/retry_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <utility>

namespace chathooks::delivery {
namespace {

using std::chrono::milliseconds;

double default_random() {
  // One engine per thread: no lock, and decide() stays safe to call concurrently.
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

double clamp_unit(double value) {
  if (!(value >= 0.0)) return 0.0;  // NaN too.
  return value > 1.0 ? 1.0 : value;
}

std::string describe_status(int status) { return "HTTP " + std::to_string(status); }

std::string describe_error(const Error& error) {
  return std::string(to_string(error.code())) + ": " + error.message();
}

RetryDecision give_up(GiveUpReason reason, Error error) {
  RetryDecision decision;
  decision.verdict = RetryVerdict::give_up;
  decision.reason = reason;
  decision.error = std::move(error);
  return decision;
}

std::string seconds_text(milliseconds value) {
  // "1.5 s": precise enough for a message, never locale-dependent.
  const auto whole = value.count() / 1000;
  const auto rest = value.count() % 1000;
  std::string text = std::to_string(whole);
  if (rest != 0) {
    std::string fraction = std::to_string(rest);
    fraction.insert(0, 3 - fraction.size(), '0');
    while (fraction.back() == '0') fraction.pop_back();
    text += "." + fraction;
  }
  return text + " s";
}

}  // namespace

RetrySchedule::RetrySchedule(RetryPolicy policy, RandomSource random)
    : policy_(policy), random_(random ? std::move(random) : RandomSource(default_random)) {}

bool RetrySchedule::is_retryable_status(int status) noexcept {
  switch (status) {
    case 408:  // Request Timeout
    case 425:  // Too Early
    case 429:  // Too Many Requests
    case 500:  // Internal Server Error
    case 502:  // Bad Gateway
    case 503:  // Service Unavailable
    case 504:  // Gateway Timeout
      return true;
    default:
      return false;
  }
}

bool RetrySchedule::is_retryable_error(Errc code) noexcept {
  switch (code) {
    case Errc::dns:
    case Errc::connection_refused:
    case Errc::connection_failed:
    case Errc::timeout:
    case Errc::protocol:
    case Errc::queue_full:
      return true;
    default:
      return false;
  }
}

milliseconds RetrySchedule::backoff(int attempt) const {
  const int n = std::max(attempt, 1);
  const double initial =
      static_cast<double>(std::max<milliseconds::rep>(policy_.initial_delay.count(), 0));
  const double cap = static_cast<double>(std::max<milliseconds::rep>(policy_.max_delay.count(), 0));
  const double multiplier = policy_.multiplier >= 1.0 ? policy_.multiplier : 1.0;
  // pow() saturates to infinity rather than overflowing; the cap brings it back.
  // (0 * infinity would be NaN: a zero initial delay stays zero.)
  double base = initial > 0.0 ? initial * std::pow(multiplier, n - 1) : 0.0;
  if (!(base <= cap)) base = cap;  // Infinity and NaN too.
  const double jitter = clamp_unit(policy_.jitter);
  const double r = clamp_unit(random_());
  const double delay = base - base * jitter * r;
  return milliseconds(static_cast<milliseconds::rep>(std::llround(delay)));
}

RetryDecision RetrySchedule::retry_or_give_up(int attempt, milliseconds delay,
                                              bool from_retry_after, milliseconds elapsed,
                                              const std::string& last) const {
  const int max_attempts = std::max(policy_.max_attempts, 1);
  if (attempt >= max_attempts) {
    return give_up(GiveUpReason::attempts_exhausted,
                   Error(Errc::attempts_exhausted, std::to_string(attempt) + " attempt" +
                                                       (attempt == 1 ? "" : "s") +
                                                       " failed; the last: " + last));
  }
  const auto deadline = policy_.deadline;
  if (deadline.count() > 0) {
    const auto elapsed_ms = std::max(elapsed, milliseconds(0));
    if (elapsed_ms >= deadline || delay >= deadline - elapsed_ms) {
      std::string why =
          elapsed_ms >= deadline
              ? "the deadline of " + seconds_text(deadline) + " has passed"
              : (from_retry_after ? "Retry-After asks for " : "the next retry waits ") +
                    seconds_text(delay) + " but only " + seconds_text(deadline - elapsed_ms) +
                    " remain before the deadline";
      return give_up(GiveUpReason::deadline_exceeded,
                     Error(Errc::deadline_exceeded, why + " (after " + std::to_string(attempt) +
                                                        " attempt" + (attempt == 1 ? "" : "s") +
                                                        "; the last: " + last + ")"));
    }
  }
  RetryDecision decision;
  decision.verdict = RetryVerdict::retry;
  decision.delay = delay;
  decision.from_retry_after = from_retry_after;
  return decision;
}

RetryDecision RetrySchedule::decide_status(int attempt, int status,
                                           std::optional<std::string_view> retry_after,
                                           milliseconds elapsed,
                                           std::chrono::system_clock::time_point now) const {
  attempt = std::max(attempt, 1);
  if (status >= 200 && status <= 299) {
    RetryDecision decision;
    decision.verdict = RetryVerdict::delivered;
    return decision;
  }
  if (status == 410) {
    return give_up(GiveUpReason::endpoint_gone,
                   Error(Errc::endpoint_gone,
                         "HTTP 410 Gone: the receiver asks never to be called again at this URL"));
  }
  if (!is_retryable_status(status)) {
    std::string message = describe_status(status);
    if (status >= 300 && status <= 399) {
      message += " (a redirect: redirects are not followed; fix the endpoint URL)";
    } else {
      message += " is not retryable";
    }
    return give_up(GiveUpReason::not_retryable, Error(Errc::http_status, std::move(message)));
  }
  std::optional<milliseconds> wait;
  if (retry_after) wait = parse_retry_after(*retry_after, now);
  if (wait) {
    const auto cap = std::max(policy_.retry_after_cap, milliseconds(0));
    return retry_or_give_up(attempt, std::min(*wait, cap), true, elapsed, describe_status(status));
  }
  return retry_or_give_up(attempt, backoff(attempt), false, elapsed, describe_status(status));
}

RetryDecision RetrySchedule::decide_error(int attempt, const Error& error,
                                          milliseconds elapsed) const {
  attempt = std::max(attempt, 1);
  if (!is_retryable_error(error.code())) {
    return give_up(GiveUpReason::not_retryable, error);
  }
  return retry_or_give_up(attempt, backoff(attempt), false, elapsed, describe_error(error));
}

RetryDecision RetrySchedule::decide(int attempt, const Result<http::HttpResponse>& outcome,
                                    milliseconds elapsed,
                                    std::chrono::system_clock::time_point now) const {
  if (!outcome.ok()) return decide_error(attempt, outcome.error(), elapsed);
  const auto retry_after = outcome->headers.get("Retry-After");
  return decide_status(attempt, outcome->status,
                       retry_after ? std::optional<std::string_view>(*retry_after) : std::nullopt,
                       elapsed, now);
}

}  // namespace chathooks::delivery
