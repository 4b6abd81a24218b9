// RetrySchedule: every status class, every transport error code, backoff growth and cap,
// jitter bounds, attempt and deadline limits, Retry-After. A fixed random source makes every
// delay exact.
#include <chathooks/delivery/retry_schedule.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"

using chathooks::Errc;
using chathooks::Error;
using chathooks::Result;
using chathooks::delivery::GiveUpReason;
using chathooks::delivery::RetryDecision;
using chathooks::delivery::RetryPolicy;
using chathooks::delivery::RetrySchedule;
using chathooks::delivery::RetryVerdict;
using chathooks::http::HttpResponse;
using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

namespace {

const system_clock::time_point kNow{seconds(784111740)};  // 1994-11-06T08:49:00Z

RetryPolicy test_policy() {
  RetryPolicy policy;
  policy.max_attempts = 5;
  policy.initial_delay = milliseconds(100);
  policy.multiplier = 2.0;
  policy.max_delay = milliseconds(1000);
  policy.jitter = 0.5;
  policy.deadline = seconds(60);
  policy.retry_after_cap = seconds(10);
  return policy;
}

RetrySchedule fixed(double r, RetryPolicy policy = test_policy()) {
  return RetrySchedule(policy, [r] { return r; });
}

RetryDecision status(const RetrySchedule& schedule, int code, int attempt = 1,
                     std::optional<std::string_view> retry_after = std::nullopt,
                     milliseconds elapsed = milliseconds(0)) {
  return schedule.decide_status(attempt, code, retry_after, elapsed, kNow);
}

void check_give_up(const RetryDecision& decision, GiveUpReason reason, Errc code) {
  CHECK(decision.verdict == RetryVerdict::give_up);
  CHECK(decision.reason == reason);
  REQUIRE(decision.error.has_value());
  CHECK(decision.error->code() == code);
  CHECK(decision.delay == milliseconds(0));
}

}  // namespace

TEST_CASE("2xx is delivered") {
  const auto schedule = fixed(0.0);
  for (int code : {200, 201, 202, 204, 299}) {
    INFO(code);
    const auto decision = status(schedule, code);
    CHECK(decision.verdict == RetryVerdict::delivered);
    CHECK(decision.reason == GiveUpReason::none);
    CHECK_FALSE(decision.error.has_value());
  }
}

TEST_CASE("1xx, 3xx and statuses outside 100-599 are failures, never retried") {
  const auto schedule = fixed(0.0);
  for (int code : {100, 101, 300, 301, 302, 303, 304, 307, 308, 0, -1, 99, 600, 999}) {
    INFO(code);
    check_give_up(status(schedule, code), GiveUpReason::not_retryable, Errc::http_status);
  }
  const auto redirect = status(schedule, 301);
  CHECK(redirect.error->message().find("redirect") != std::string::npos);
}

TEST_CASE("410 is endpoint_gone, even with attempts left") {
  const auto schedule = fixed(0.0);
  check_give_up(status(schedule, 410, 1), GiveUpReason::endpoint_gone, Errc::endpoint_gone);
  check_give_up(status(schedule, 410, 3, "1"), GiveUpReason::endpoint_gone, Errc::endpoint_gone);
}

TEST_CASE("4xx: only 408, 425 and 429 are retried") {
  const auto schedule = fixed(0.0);
  for (int code = 400; code <= 499; ++code) {
    INFO(code);
    const auto decision = status(schedule, code, 1, "1");  // A Retry-After changes nothing.
    if (code == 408 || code == 425 || code == 429) {
      CHECK(decision.verdict == RetryVerdict::retry);
    } else if (code == 410) {
      CHECK(decision.reason == GiveUpReason::endpoint_gone);
    } else {
      check_give_up(decision, GiveUpReason::not_retryable, Errc::http_status);
    }
  }
}

TEST_CASE("5xx: only 500, 502, 503 and 504 are retried") {
  const auto schedule = fixed(0.0);
  for (int code = 500; code <= 599; ++code) {
    INFO(code);
    const auto decision = status(schedule, code);
    if (code == 500 || code == 502 || code == 503 || code == 504) {
      CHECK(decision.verdict == RetryVerdict::retry);
      CHECK(decision.delay == milliseconds(100));
      CHECK_FALSE(decision.from_retry_after);
    } else {
      check_give_up(decision, GiveUpReason::not_retryable, Errc::http_status);
    }
  }
}

TEST_CASE("Every transport error code is classified") {
  const auto schedule = fixed(0.0);
  const std::vector<Errc> retried = {
      Errc::dns,     Errc::connection_refused, Errc::connection_failed,
      Errc::timeout, Errc::protocol,           Errc::queue_full};
  const std::vector<Errc> final = {Errc::tls,
                                   Errc::response_too_large,
                                   Errc::blocked_destination,
                                   Errc::invalid_request,
                                   Errc::cancelled,
                                   Errc::invalid_argument,
                                   Errc::internal,
                                   Errc::syntax};
  for (Errc code : retried) {
    INFO(chathooks::to_string(code));
    CHECK(RetrySchedule::is_retryable_error(code));
    const auto decision = schedule.decide_error(1, Error(code, "boom"), milliseconds(0));
    CHECK(decision.verdict == RetryVerdict::retry);
    CHECK(decision.delay == milliseconds(100));
  }
  for (Errc code : final) {
    INFO(chathooks::to_string(code));
    CHECK_FALSE(RetrySchedule::is_retryable_error(code));
    const auto decision = schedule.decide_error(1, Error(code, "boom"), milliseconds(0));
    // Not retryable: the delivery ends with the transport's own error, unchanged.
    check_give_up(decision, GiveUpReason::not_retryable, code);
    CHECK(decision.error->message() == "boom");
  }
}

TEST_CASE("Backoff grows by the multiplier up to the cap") {
  const auto schedule = fixed(0.0);  // r = 0: the top of the jitter range, the exact backoff.
  const std::vector<long> expected = {100, 200, 400, 800, 1000, 1000, 1000};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("attempt " << i + 1);
    CHECK(schedule.backoff(static_cast<int>(i) + 1).count() == expected[i]);
  }
  // A huge attempt number saturates at the cap instead of overflowing.
  CHECK(schedule.backoff(100000) == milliseconds(1000));
  CHECK(schedule.backoff(0) == milliseconds(100));
  CHECK(schedule.backoff(-7) == milliseconds(100));

  auto policy = test_policy();
  policy.max_attempts = 10;
  const auto limited = fixed(0.0, policy);
  for (int attempt = 1; attempt <= 4; ++attempt) {
    const auto decision = limited.decide_status(attempt, 503, std::nullopt, milliseconds(0), kNow);
    REQUIRE(decision.verdict == RetryVerdict::retry);
    CHECK(decision.delay.count() == expected[static_cast<std::size_t>(attempt) - 1]);
  }
}

TEST_CASE("Jitter stays within [backoff * (1 - jitter), backoff]") {
  for (double r : {0.0, 0.1, 0.25, 0.5, 0.75, 0.999999}) {
    INFO("r = " << r);
    const auto schedule = fixed(r);
    for (int attempt = 1; attempt <= 6; ++attempt) {
      const double base = std::min(100.0 * std::pow(2.0, attempt - 1), 1000.0);
      const auto delay = static_cast<double>(schedule.backoff(attempt).count());
      CHECK(delay <= base);
      CHECK(delay >= std::floor(base * 0.5));
      CHECK(delay == Approx(base - base * 0.5 * r).margin(0.5));
    }
  }
  auto policy = test_policy();
  policy.jitter = 1.0;  // Full jitter.
  CHECK(fixed(0.5, policy).backoff(4) == milliseconds(400));
  CHECK(fixed(0.999999, policy).backoff(4) == milliseconds(0));
  policy.jitter = 0.0;
  CHECK(fixed(0.9, policy).backoff(4) == milliseconds(800));
  policy.jitter = 7.0;  // Clamped to 1.
  CHECK(fixed(0.5, policy).backoff(4) == milliseconds(400));
  policy.jitter = -1.0;  // Clamped to 0.
  CHECK(fixed(0.5, policy).backoff(4) == milliseconds(800));
  // A random source out of range is clamped, never lengthens a delay nor makes it negative.
  CHECK(fixed(2.0).backoff(4) == milliseconds(400));
  CHECK(fixed(-3.0).backoff(4) == milliseconds(800));
  CHECK(fixed(std::numeric_limits<double>::quiet_NaN()).backoff(4) == milliseconds(800));
}

TEST_CASE("The default random source jitters within bounds") {
  const RetrySchedule schedule(test_policy());
  bool varied = false;
  const auto first = schedule.backoff(4);
  for (int i = 0; i < 200; ++i) {
    const auto delay = schedule.backoff(4);
    CHECK(delay >= milliseconds(400));
    CHECK(delay <= milliseconds(800));
    varied = varied || delay != first;
  }
  CHECK(varied);
}

TEST_CASE("Degenerate policies are normalised") {
  RetryPolicy policy = test_policy();
  policy.multiplier = 0.5;  // Below 1: constant backoff.
  policy.initial_delay = milliseconds(300);
  CHECK(fixed(0.0, policy).backoff(5) == milliseconds(300));
  policy.multiplier = std::numeric_limits<double>::quiet_NaN();
  CHECK(fixed(0.0, policy).backoff(5) == milliseconds(300));
  policy.multiplier = 1e308;
  CHECK(fixed(0.0, policy).backoff(5) == milliseconds(1000));
  policy.initial_delay = milliseconds(-5);
  CHECK(fixed(0.0, policy).backoff(3) == milliseconds(0));
  policy.initial_delay = milliseconds(5000);  // Larger than the cap.
  CHECK(fixed(0.0, policy).backoff(1) == milliseconds(1000));
}

TEST_CASE("Attempts are limited by max_attempts") {
  const auto schedule = fixed(0.0);
  CHECK(status(schedule, 503, 4).verdict == RetryVerdict::retry);
  const auto last = status(schedule, 503, 5);
  check_give_up(last, GiveUpReason::attempts_exhausted, Errc::attempts_exhausted);
  CHECK(last.error->message() == "5 attempts failed; the last: HTTP 503");
  const auto after_error =
      schedule.decide_error(5, Error(Errc::connection_refused, "refused"), milliseconds(0));
  check_give_up(after_error, GiveUpReason::attempts_exhausted, Errc::attempts_exhausted);
  CHECK(after_error.error->message() == "5 attempts failed; the last: connection_refused: refused");

  for (int max : {1, 0, -3}) {
    INFO("max_attempts " << max);
    auto policy = test_policy();
    policy.max_attempts = max;
    const auto once = status(fixed(0.0, policy), 500, 1);
    check_give_up(once, GiveUpReason::attempts_exhausted, Errc::attempts_exhausted);
    CHECK(once.error->message() == "1 attempt failed; the last: HTTP 500");
  }
}

TEST_CASE("No retry is scheduled that would end at or past the deadline") {
  const auto schedule = fixed(0.0);
  // Deadline 60 s; the second attempt's backoff is 100 ms.
  CHECK(status(schedule, 503, 1, std::nullopt, milliseconds(59899)).verdict == RetryVerdict::retry);
  const auto edge = status(schedule, 503, 1, std::nullopt, milliseconds(59900));
  check_give_up(edge, GiveUpReason::deadline_exceeded, Errc::deadline_exceeded);
  CHECK(edge.error->message() ==
        "the next retry waits 0.1 s but only 0.1 s remain before the deadline (after 1 "
        "attempt; the last: HTTP 503)");
  const auto past = schedule.decide_error(2, Error(Errc::timeout, "slow"), milliseconds(61000));
  check_give_up(past, GiveUpReason::deadline_exceeded, Errc::deadline_exceeded);
  CHECK(past.error->message() ==
        "the deadline of 60 s has passed (after 2 attempts; the last: timeout: slow)");
  // Attempts run out before the deadline is looked at.
  check_give_up(status(schedule, 503, 5, std::nullopt, milliseconds(70000)),
                GiveUpReason::attempts_exhausted, Errc::attempts_exhausted);
  // Non-retryable outcomes keep their own reason past the deadline.
  check_give_up(status(schedule, 400, 1, std::nullopt, milliseconds(70000)),
                GiveUpReason::not_retryable, Errc::http_status);
  CHECK(status(schedule, 200, 1, std::nullopt, milliseconds(70000)).verdict ==
        RetryVerdict::delivered);

  auto policy = test_policy();
  policy.deadline = milliseconds(0);  // No deadline.
  CHECK(status(fixed(0.0, policy), 503, 1, std::nullopt, std::chrono::hours(1000)).verdict ==
        RetryVerdict::retry);
}

TEST_CASE("Retry-After replaces the backoff, clamped to retry_after_cap") {
  const auto schedule = fixed(0.5);  // Jitter would shorten a backoff; Retry-After is exact.
  auto decision = status(schedule, 429, 1, "1");
  REQUIRE(decision.verdict == RetryVerdict::retry);
  CHECK(decision.delay == milliseconds(1000));
  CHECK(decision.from_retry_after);

  CHECK(status(schedule, 503, 1, "0").delay == milliseconds(0));
  CHECK(status(schedule, 503, 2, " 7 ").delay == milliseconds(7000));
  // HTTP-date, 5 s after kNow; one in the past means now.
  decision = status(schedule, 503, 1, "Sun, 06 Nov 1994 08:49:05 GMT");
  CHECK(decision.delay == milliseconds(5000));
  CHECK(decision.from_retry_after);
  CHECK(status(schedule, 503, 1, "Sun, 06 Nov 1994 08:00:00 GMT").delay == milliseconds(0));
  // Longer than the cap (10 s): clamped, as seconds and as a date.
  CHECK(status(schedule, 429, 1, "3600").delay == milliseconds(10000));
  CHECK(status(schedule, 429, 1, "99999999999999999999").delay == milliseconds(10000));
  CHECK(status(schedule, 429, 1, "Sun, 06 Nov 1994 08:49:37 GMT").delay == milliseconds(10000));
  // Garbage or negative: ignored, the jittered backoff applies (100 ms - 50% * 0.5 = 75 ms).
  for (const char* bad : {"-1", "soon", "1.5", "", "Sun, 99 Nov 1994 08:49:37 GMT"}) {
    INFO(bad);
    decision = status(schedule, 429, 1, bad);
    REQUIRE(decision.verdict == RetryVerdict::retry);
    CHECK(decision.delay == milliseconds(75));
    CHECK_FALSE(decision.from_retry_after);
  }
}

TEST_CASE("A Retry-After past the deadline gives up at once") {
  auto policy = test_policy();
  policy.deadline = seconds(10);
  policy.retry_after_cap = seconds(30);
  const auto schedule = fixed(0.0, policy);
  CHECK(status(schedule, 503, 1, "5", milliseconds(4000)).verdict == RetryVerdict::retry);
  const auto decision = status(schedule, 503, 1, "20", milliseconds(1000));
  check_give_up(decision, GiveUpReason::deadline_exceeded, Errc::deadline_exceeded);
  CHECK(decision.error->message() ==
        "Retry-After asks for 20 s but only 9 s remain before the deadline (after 1 attempt; "
        "the last: HTTP 503)");
  // The clamp applies first: a cap below the time left lets the retry happen.
  policy.retry_after_cap = seconds(2);
  CHECK(status(fixed(0.0, policy), 503, 1, "20", milliseconds(1000)).delay == milliseconds(2000));
}

TEST_CASE("decide() reads the outcome and the Retry-After header in any case") {
  const auto schedule = fixed(0.0);
  HttpResponse response;
  response.status = 429;
  REQUIRE(response.headers.add("retry-AFTER", "2").ok());
  auto decision = schedule.decide(1, Result<HttpResponse>(response), milliseconds(0), kNow);
  CHECK(decision.verdict == RetryVerdict::retry);
  CHECK(decision.delay == milliseconds(2000));

  response.status = 204;
  decision = schedule.decide(1, Result<HttpResponse>(response), milliseconds(0), kNow);
  CHECK(decision.verdict == RetryVerdict::delivered);

  decision = schedule.decide(1, Result<HttpResponse>(Error(Errc::tls, "bad certificate")),
                             milliseconds(0), kNow);
  check_give_up(decision, GiveUpReason::not_retryable, Errc::tls);
}

TEST_CASE("The default policy suits a waiting sender") {
  const RetryPolicy policy;
  CHECK(policy.max_attempts == 3);
  CHECK(policy.deadline <= seconds(30));
  CHECK(policy.max_delay <= policy.deadline);
  CHECK(policy.retry_after_cap <= policy.deadline);
  CHECK(policy.jitter > 0.0);
}
