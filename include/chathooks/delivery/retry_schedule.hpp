// The retry policy of webhook delivery, sans-I/O: RetrySchedule is told how an attempt ended
// (an HTTP status with its Retry-After value, or a transport Error) and answers delivered,
// retry after a delay, or give up and why. It reads no clock and sends nothing, so it serves
// both the Deliverer (deliverer.hpp) and hosts that keep retries in their own durable queue.
//
// What is retried, and why:
// - 2xx: delivered. 3xx: a failure, never retried (redirects are not followed: a webhook URL
//   that redirects is misconfigured, and following it could carry the payload elsewhere).
// - 408, 425, 429, 500, 502, 503, 504: retried (the receiver or something in front of it is
//   busy, starting or restarting). A Retry-After on these replaces the backoff.
// - 410: give up with Errc::endpoint_gone, so the host can disable the endpoint.
// - Every other 4xx and 5xx (501, 505, ...) and anything outside 100-599: give up with
//   Errc::http_status; sending the same request again gets the same answer.
// - Transport errors: see is_retryable_error().
//
// The pattern for hosts that keep retries in their own durable queue (Kafka, SQS, a database
// outbox), across hours and restarts:
//
//   // At enqueue time: fix the message id once (the same on every attempt, so the receiver
//   // can deduplicate) and store it with the job (ensure_message_id: signed_attempt.hpp).
//   job.message_id = chathooks::delivery::ensure_message_id(job.request);
//   job.first_attempt_at = now;
//   job.attempt = 1;
//
//   // Each time the queue hands the job to a worker: sign with a fresh webhook-timestamp,
//   // send, and let the schedule say what comes next.
//   chathooks::delivery::sign_attempt(job.request, signer, job.message_id, clock.now());
//   auto outcome = transport->send(job.request);
//   const auto now = clock.now();
//   const auto elapsed =
//       std::chrono::duration_cast<std::chrono::milliseconds>(now - job.first_attempt_at);
//   auto decision = schedule.decide(job.attempt, outcome, elapsed, now);
//   switch (decision.verdict) {
//     case RetryVerdict::delivered: queue.ack(job); break;
//     case RetryVerdict::retry:                     // same job, same webhook-id
//       ++job.attempt;
//       queue.schedule(job, now + decision.delay);
//       break;
//     case RetryVerdict::give_up:
//       if (decision.reason == GiveUpReason::endpoint_gone) disable(job.endpoint);
//       queue.dead_letter(job, *decision.error);
//       break;
//   }
//
// Such hosts raise the defaults (e.g. max_attempts 15, max_delay 1 h, deadline 24 h,
// retry_after_cap 1 h): the defaults below are for a sender that is waiting. The test
// "The durable-queue pattern" in tests/delivery/durable_queue_test.cpp runs this pattern.
//
// Thread-safety: RetrySchedule is immutable after construction; decide() may be called from any
// number of threads at once provided the RandomSource may (the default one may).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

#include "chathooks/delivery/retry_after.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/message.hpp"

namespace chathooks::delivery {

/// How a delivery retries. The defaults fit a sender someone is waiting on (a Flw chatbot
/// waiting for the branch to take, a Cliengo bot waiting for its override, while a person
/// waits in the chat): three quick attempts within seconds, never minutes. A host that
/// delivers in the background raises them (see the header comment).
struct RetryPolicy {
  /// Attempts in all, the first one included. Values below 1 count as 1 (no retry).
  int max_attempts = 3;
  /// Backoff before the second attempt; the n-th retry waits initial_delay * multiplier^(n-1),
  /// at most max_delay, then jittered. Negative counts as zero.
  std::chrono::milliseconds initial_delay{500};
  /// Growth factor of the backoff per retry. Values below 1 (and NaN) count as 1.
  double multiplier = 2.0;
  /// Cap on the backoff before jitter (a Retry-After is capped by retry_after_cap instead).
  std::chrono::milliseconds max_delay{std::chrono::seconds(5)};
  /// Subtractive jitter, a fraction from 0 to 1: the delay is drawn uniformly from
  /// [backoff * (1 - jitter), backoff]. 0 is no jitter, 0.5 is "equal jitter", 1 is "full
  /// jitter". It never lengthens a delay, so max_delay stays a true cap; it spreads the retries
  /// of many messages that failed together (a receiver coming back after an outage) instead of
  /// sending them back in one burst. Clamped to [0, 1].
  double jitter = 0.5;
  /// Overall time from the start of the first attempt: no retry is scheduled whose delay would
  /// end at or past it (the delivery gives up with Errc::deadline_exceeded), and the Deliverer
  /// shortens each attempt's timeout to the time left. Zero or negative: no deadline.
  std::chrono::milliseconds deadline{std::chrono::seconds(20)};
  /// Largest wait a Retry-After may impose; a longer one is clamped to this. If even the
  /// clamped wait reaches past the deadline, the delivery gives up with deadline_exceeded:
  /// the receiver asked for more time than the sender has, so failing now beats failing later.
  /// Negative counts as zero.
  std::chrono::milliseconds retry_after_cap{std::chrono::seconds(5)};
};

/// Uniform random numbers in [0, 1) for jitter. Values outside are clamped. Empty: the default
/// source (a per-thread engine seeded from std::random_device). Tests inject a fixed one.
using RandomSource = std::function<double()>;

/// What to do after an attempt.
enum class RetryVerdict {
  delivered,  ///< A 2xx: done.
  retry,      ///< Try again after RetryDecision::delay.
  give_up,    ///< Stop: RetryDecision::reason and error say why.
};

/// Why a delivery gives up.
enum class GiveUpReason {
  none,                ///< Not giving up (delivered or retry).
  endpoint_gone,       ///< HTTP 410: disable the endpoint (Errc::endpoint_gone).
  not_retryable,       ///< A status or transport error that retrying cannot fix (Errc::http_status
                       ///< or the transport's own code).
  attempts_exhausted,  ///< Retryable, but max_attempts were made (Errc::attempts_exhausted).
  deadline_exceeded,   ///< Retryable, but the wait would pass the deadline
                       ///< (Errc::deadline_exceeded).
};

/// RetrySchedule's answer.
struct RetryDecision {
  /// Delivered, retry or give up.
  RetryVerdict verdict = RetryVerdict::give_up;
  /// For retry: how long to wait before the next attempt (for give_up and delivered: zero).
  std::chrono::milliseconds delay{0};
  /// For retry: whether `delay` came from a Retry-After header rather than the backoff.
  bool from_retry_after = false;
  /// For give_up: why.
  GiveUpReason reason = GiveUpReason::none;
  /// For give_up: the error the delivery ends with (its code tells the reasons apart; the
  /// message names the last outcome). Empty otherwise.
  std::optional<Error> error;
};

/// Decides, attempt by attempt, whether and when to retry. See the header comment.
class CHATHOOKS_API RetrySchedule {
 public:
  /// A schedule for `policy`, drawing jitter from `random` (empty: the default source).
  explicit RetrySchedule(RetryPolicy policy = {}, RandomSource random = {});

  /// The decision after attempt number `attempt` (1 for the first) ended with `outcome`.
  /// `elapsed` is the time since the first attempt started, this attempt included; `now` is
  /// the wall-clock time, for a Retry-After given as a date. A response's Retry-After is read
  /// from its headers.
  RetryDecision decide(int attempt, const Result<http::HttpResponse>& outcome,
                       std::chrono::milliseconds elapsed,
                       std::chrono::system_clock::time_point now) const;

  /// The same for an attempt that got HTTP `status`, with the raw Retry-After field value if
  /// the response had one (for hosts that stored only these).
  RetryDecision decide_status(int attempt, int status, std::optional<std::string_view> retry_after,
                              std::chrono::milliseconds elapsed,
                              std::chrono::system_clock::time_point now) const;

  /// The same for an attempt that ended with a transport error.
  RetryDecision decide_error(int attempt, const Error& error,
                             std::chrono::milliseconds elapsed) const;

  /// The backoff before attempt `attempt + 1`, jittered: what a retry waits without a
  /// Retry-After. `attempt` below 1 counts as 1.
  std::chrono::milliseconds backoff(int attempt) const;

  /// Whether an HTTP status is worth retrying: 408, 425, 429, 500, 502, 503 and 504.
  static bool is_retryable_status(int status) noexcept;

  /// Whether a transport error is worth retrying:
  /// - retried: connection_refused and connection_failed (a receiver restarting or deploying,
  ///   a reset connection), timeout (a slow or overloaded receiver; it may have processed the
  ///   request, which the unchanged webhook-id lets it detect), protocol (a broken reply, often
  ///   a proxy or load balancer dropping a connection mid-way), queue_full (local back-pressure
  ///   that clears), and dns: a name that does not resolve is usually permanent, but resolvers
  ///   also fail transiently (SERVFAIL, timeouts, EAI_AGAIN) and libcurl does not tell the two
  ///   apart; a permanent failure costs only a few cheap lookups within the deadline;
  /// - not retried: tls (certificate and verification failures, the usual cause, do not fix
  ///   themselves within a delivery's deadline; a durable-queue host may choose otherwise),
  ///   response_too_large (the receiver answered; resending gets the same answer),
  ///   blocked_destination and invalid_request (the request or configuration is wrong),
  ///   cancelled (someone asked to stop), and every other code (invalid_argument, internal).
  static bool is_retryable_error(Errc code) noexcept;

  /// The policy, with out-of-range values as given (they are normalised when used).
  const RetryPolicy& policy() const noexcept { return policy_; }

 private:
  RetryDecision retry_or_give_up(int attempt, std::chrono::milliseconds delay,
                                 bool from_retry_after, std::chrono::milliseconds elapsed,
                                 const std::string& last) const;

  RetryPolicy policy_;
  RandomSource random_;
};

}  // namespace chathooks::delivery
