// Per-endpoint delivery policy: a circuit breaker and a rate limit for each endpoint (a URL's
// origin: scheme, host and port), shared by every Deliverer, client and outbox Worker given the
// same EndpointPolicy.
//
// Circuit breaker. An attempt fails, for the breaker, when the endpoint did not answer (a
// transport error other than cancelled, blocked_destination or invalid_request) or answered
// 408, 429 or 5xx; any other answer is a success. After `failure_threshold` consecutive
// failures within `failure_window` the endpoint is paused (open): attempts to it are not made
// (Errc::circuit_open, at once) until `open_for` has passed; then one attempt at a time goes
// through as a probe (half_open) while the others are still refused. A probe that succeeds
// closes the breaker; one that fails pauses the endpoint again, for twice as long (at most
// `max_open_for`). A 410 disables the endpoint (Errc::endpoint_disabled) until enable().
//
// Rate limit. A token bucket per endpoint: `per_second` sustained, `burst` at once. An attempt
// over the limit is not refused: it is given a slot and told how long to wait for it, so the
// waits of one endpoint never hold another's attempts (the Deliverer's asynchronous path and the
// outbox wait on timers; deliver() sleeps on its calling thread).
//
// Changes of state (closed, open, half_open, disabled) go to the options' observer
// (DeliveryObserver::on_endpoint_state) and the log (warning when an endpoint is paused or
// disabled, info when it closes again).
//
// Thread-safety: an EndpointPolicy is thread-safe; share it through its shared_ptr. The observer
// is called without the policy's lock held, from the threads that record outcomes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/delivery/observer.hpp"
#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/message.hpp"

namespace chathooks::delivery {

/// When an endpoint is paused, and for how long.
struct CircuitBreakerOptions {
  /// Consecutive failed attempts that pause the endpoint; 0 turns the breaker off.
  int failure_threshold = 5;
  /// The failures must come within this window: a failure longer than this after the first
  /// of the run starts a new count.
  std::chrono::milliseconds failure_window{std::chrono::minutes(5)};
  /// How long the endpoint is paused before one probe is let through; doubles after each
  /// failed probe.
  std::chrono::milliseconds open_for{std::chrono::seconds(30)};
  /// The longest pause.
  std::chrono::milliseconds max_open_for{std::chrono::minutes(10)};
  /// Whether a 410 Gone disables the endpoint until enable().
  bool disable_on_gone = true;
};

/// How fast attempts may go to one endpoint.
struct RateLimitOptions {
  /// Sustained attempts per second to one endpoint; 0 (or less): no limit.
  double per_second = 0;
  /// Attempts that may go at once after a quiet spell; at least 1.
  double burst = 1;
};

/// Settings of an EndpointPolicy.
struct EndpointPolicyOptions {
  /// The breaker, for every endpoint.
  CircuitBreakerOptions breaker;
  /// The rate limit, for every endpoint.
  RateLimitOptions rate_limit;
  /// Sees endpoints change state (on_endpoint_state); null: none.
  std::shared_ptr<DeliveryObserver> observer;
  /// Monotonic clock; default std::chrono::steady_clock::now.
  std::function<std::chrono::steady_clock::time_point()> steady_now;
};

/// What the policy decided for one attempt.
struct Admission {
  /// The decision.
  enum class Verdict {
    go,      ///< Send now.
    wait,    ///< A slot is reserved: send after `wait`, without asking again.
    refuse,  ///< Do not send: `error` says why (circuit_open or endpoint_disabled).
  };
  /// The decision.
  Verdict verdict = Verdict::go;
  /// For wait: how long until the reserved slot. For refuse with circuit_open: how long
  /// until a probe may go (zero when one is under way).
  std::chrono::milliseconds wait{0};
  /// For refuse: Errc::circuit_open or Errc::endpoint_disabled.
  std::optional<Error> error;
  /// This attempt is the probe of a paused endpoint: its outcome decides the breaker.
  bool probe = false;
};

/// One endpoint's state, for status pages and tests.
struct EndpointStatus {
  /// The origin: "https://hooks.example:443".
  std::string endpoint;
  /// closed, open, half_open or disabled.
  EndpointState state = EndpointState::closed;
  /// Consecutive failures counted so far.
  int consecutive_failures = 0;
  /// For open: how long until a probe may go.
  std::chrono::milliseconds retry_in{0};
  /// The current pause (open, half_open): what a failed probe doubles; zero when closed.
  std::chrono::milliseconds pause{0};
  /// Counts this endpoint's changes of state in this policy (restore() included): a saver
  /// keeps what it saved last and saves again when this moves.
  std::uint64_t version = 0;
};

/// Circuit breakers and rate limits per endpoint. See the header comment.
class CHATHOOKS_API EndpointPolicy {
 public:
  /// A policy with `options`. Errc::invalid_argument for a negative threshold, a window or
  /// pause that is not positive, a burst below 1 or a rate that is not finite.
  static Result<std::shared_ptr<EndpointPolicy>> create(EndpointPolicyOptions options = {});
  /// Destroys the policy (its endpoints' state with it).
  ~EndpointPolicy();
  /// Not copyable: share it through its shared_ptr.
  EndpointPolicy(const EndpointPolicy&) = delete;
  /// Not copyable: share it through its shared_ptr.
  EndpointPolicy& operator=(const EndpointPolicy&) = delete;

  /// The endpoint of `url`: its origin, lowercase, with the scheme's default port made
  /// explicit ("https://hooks.example:443"); empty for a URL without one.
  static std::string endpoint_of(std::string_view url);

  /// Decides whether an attempt to `url` may go now. A `go` or `wait` must be followed by
  /// record() with the attempt's outcome (Errc::cancelled if it was never sent).
  Admission admit(std::string_view url);
  /// The outcome of an attempt admit() let through; `probe` as the Admission said.
  void record(std::string_view url, const Result<http::HttpResponse>& outcome, bool probe);
  /// Closes the breaker of `endpoint` (an endpoint_of() text, or any URL of it) and re-enables
  /// it if disabled. Returns false when the policy knows no such endpoint.
  bool enable(std::string_view endpoint);
  /// Every endpoint the policy has seen, sorted by name.
  std::vector<EndpointStatus> endpoints() const;
  /// Sets an endpoint's breaker to a state saved earlier or elsewhere (the outbox Worker keeps
  /// them in its store, so that a restart or another worker of the fleet does not start over):
  /// `endpoint` (endpoint_of() form), `state` (half_open is taken as open with a probe due
  /// now), `consecutive_failures`, and for open `retry_in` and `pause`. A change of state is
  /// reported like any other. Returns the endpoint's new version (EndpointStatus::version),
  /// or 0 for an empty endpoint name.
  std::uint64_t restore(const EndpointStatus& status);

 private:
  struct Impl;
  explicit EndpointPolicy(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace chathooks::delivery
