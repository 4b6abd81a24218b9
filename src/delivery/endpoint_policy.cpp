// EndpointPolicy: one breaker and one token bucket per endpoint, under one mutex (the work per
// call is a map lookup and a few comparisons). Observer calls and log records are made after the
// lock is released, so an observer may call back into the policy.
#include "chathooks/delivery/endpoint_policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <utility>

#include "chathooks/log.hpp"
#include "core/log_emit.hpp"
#include "delivery/url_authority.hpp"

namespace chathooks::delivery {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

namespace {

// Whether an attempt's outcome counts against the endpoint. Cancelled attempts and the
// caller's own mistakes say nothing about it: neutral.
enum class Verdict { success, failure, gone, neutral };

Verdict judge(const Result<http::HttpResponse>& outcome) {
  if (!outcome.ok()) {
    switch (outcome.error().code()) {
      case Errc::cancelled:
      case Errc::blocked_destination:
      case Errc::invalid_request:
      case Errc::invalid_argument:
      case Errc::queue_full:
        return Verdict::neutral;
      default:
        return Verdict::failure;
    }
  }
  const int status = outcome->status;
  if (status == 410) return Verdict::gone;
  if (status == 408 || status == 429 || status >= 500) return Verdict::failure;
  return Verdict::success;
}

milliseconds ceil_ms(Clock::duration d) {
  const auto ms = std::chrono::ceil<milliseconds>(d);
  return ms.count() > 0 ? ms : milliseconds(0);
}

// One endpoint's breaker and bucket.
struct Endpoint {
  EndpointState state = EndpointState::closed;
  int failures = 0;
  Clock::time_point first_failure{};
  Clock::time_point open_until{};
  milliseconds pause{0};  // the current pause; doubles after a failed probe
  bool probing = false;
  // Token bucket: `tokens` at `refilled`; may go negative (slots reserved ahead).
  double tokens = 0;
  Clock::time_point refilled{};
  bool bucket_started = false;
  std::uint64_t version = 0;  // changes of state (EndpointStatus::version)
};

// A state change, reported once the lock is released.
struct Change {
  std::string endpoint;
  EndpointState from;
  EndpointState to;
  int failures;
  milliseconds retry_in;
};

}  // namespace

struct EndpointPolicy::Impl {
  EndpointPolicyOptions options;
  mutable std::mutex mutex;
  std::map<std::string, Endpoint, std::less<>> endpoints;

  Clock::time_point now() const { return options.steady_now(); }

  bool breaker_on() const { return options.breaker.failure_threshold > 0; }

  void move_to(const std::string& name, Endpoint& e, EndpointState to, Clock::time_point at,
               std::optional<Change>& change) {
    if (e.state == to) return;
    change = Change{name, e.state, to, e.failures,
                    to == EndpointState::open ? ceil_ms(e.open_until - at) : milliseconds(0)};
    e.state = to;
    ++e.version;
  }

  void open(const std::string& name, Endpoint& e, Clock::time_point at, bool after_probe,
            std::optional<Change>& change) {
    const auto& b = options.breaker;
    e.pause =
        after_probe ? std::min(std::max(e.pause * 2, b.open_for), b.max_open_for) : b.open_for;
    e.open_until = at + e.pause;
    e.probing = false;
    move_to(name, e, EndpointState::open, at, change);
  }

  void report(const std::optional<Change>& change) const {
    if (!change) return;
    const EndpointEvent event{change->endpoint, change->from, change->to, change->failures,
                              change->retry_in};
    if (options.observer) {
      try {
        options.observer->on_endpoint_state(event);
      } catch (...) {
        // Documented: dropped.
      }
    }
    const bool bad = change->to == EndpointState::open || change->to == EndpointState::disabled;
    const log::Level level = bad ? log::Level::warning : log::Level::info;
    if (!log::enabled(level)) return;
    chathooks::detail::emit_log(
        log::Record{level,
                    "endpoint.state",
                    fmt::format("endpoint {}: {} -> {}", change->endpoint, to_string(change->from),
                                to_string(change->to)),
                    {{"endpoint", change->endpoint},
                     {"from", std::string(to_string(change->from))},
                     {"to", std::string(to_string(change->to))},
                     {"failures", std::to_string(change->failures)},
                     {"retry_in_ms", std::to_string(change->retry_in.count())}}});
  }

  // The rate limit's part of a `go`: the wait for the next slot (zero: now), the slot taken.
  milliseconds take_slot(Endpoint& e, Clock::time_point at) const {
    const auto& limit = options.rate_limit;
    if (!(limit.per_second > 0)) return milliseconds(0);
    if (!e.bucket_started) {
      e.bucket_started = true;
      e.tokens = limit.burst;
      e.refilled = at;
    }
    const double elapsed = std::chrono::duration<double>(at - e.refilled).count();
    if (elapsed > 0) {
      e.tokens = std::min(limit.burst, e.tokens + elapsed * limit.per_second);
      e.refilled = at;
    }
    e.tokens -= 1.0;
    if (e.tokens >= 0) return milliseconds(0);
    const double seconds = -e.tokens / limit.per_second;
    return milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000.0)));
  }
};

EndpointPolicy::EndpointPolicy(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EndpointPolicy::~EndpointPolicy() = default;

Result<std::shared_ptr<EndpointPolicy>> EndpointPolicy::create(EndpointPolicyOptions options) {
  const auto& b = options.breaker;
  if (b.failure_threshold < 0)
    return Error(Errc::invalid_argument, "failure_threshold must not be negative");
  if (b.failure_window.count() <= 0 || b.open_for.count() <= 0 || b.max_open_for.count() <= 0)
    return Error(Errc::invalid_argument,
                 "failure_window, open_for and max_open_for must be positive");
  const auto& r = options.rate_limit;
  if (!std::isfinite(r.per_second) || !std::isfinite(r.burst) || r.burst < 1.0)
    return Error(Errc::invalid_argument,
                 "the rate limit must be finite, with a burst of at least 1");
  if (!options.steady_now) options.steady_now = [] { return Clock::now(); };
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  return std::shared_ptr<EndpointPolicy>(new EndpointPolicy(std::move(impl)));
}

std::string EndpointPolicy::endpoint_of(std::string_view url) {
  const auto authority = detail::url_authority(url);
  if (!authority) return {};
  std::string text = authority->scheme + "://" + authority->host;
  if (!authority->port.empty()) return text + ":" + std::string(authority->port);
  if (authority->scheme == "https") return text + ":443";
  if (authority->scheme == "http") return text + ":80";
  return text;
}

Admission EndpointPolicy::admit(std::string_view url) {
  const std::string name = endpoint_of(url);
  Admission admission;
  std::optional<Change> change;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const auto at = impl_->now();
    Endpoint& e = impl_->endpoints[name];
    switch (e.state) {
      case EndpointState::disabled:
        admission.verdict = Admission::Verdict::refuse;
        admission.error = Error(Errc::endpoint_disabled,
                                fmt::format("{} answered 410 Gone and is disabled", name));
        return admission;
      case EndpointState::open:
        if (at < e.open_until) {
          admission.verdict = Admission::Verdict::refuse;
          admission.wait = ceil_ms(e.open_until - at);
          admission.error =
              Error(Errc::circuit_open,
                    fmt::format("{} is paused after {} consecutive failures; retry in {} ms", name,
                                e.failures, admission.wait.count()));
          return admission;
        }
        e.probing = true;
        admission.probe = true;
        impl_->move_to(name, e, EndpointState::half_open, at, change);
        break;
      case EndpointState::half_open:
        if (e.probing) {
          admission.verdict = Admission::Verdict::refuse;
          admission.error =
              Error(Errc::circuit_open,
                    fmt::format("{} is paused after {} consecutive failures; a probe is under way",
                                name, e.failures));
          return admission;
        }
        e.probing = true;
        admission.probe = true;
        break;
      case EndpointState::closed:
        break;
    }
    admission.wait = impl_->take_slot(e, at);
    admission.verdict =
        admission.wait.count() > 0 ? Admission::Verdict::wait : Admission::Verdict::go;
  }
  impl_->report(change);
  return admission;
}

void EndpointPolicy::record(std::string_view url, const Result<http::HttpResponse>& outcome,
                            bool probe) {
  const std::string name = endpoint_of(url);
  const Verdict verdict = judge(outcome);
  std::optional<Change> change;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const auto at = impl_->now();
    Endpoint& e = impl_->endpoints[name];
    if (probe) e.probing = false;
    const auto& b = impl_->options.breaker;
    switch (verdict) {
      case Verdict::neutral:
        break;
      case Verdict::gone:
        if (b.disable_on_gone) {
          impl_->move_to(name, e, EndpointState::disabled, at, change);
          break;
        }
        [[fallthrough]];
      case Verdict::success:
        if (e.state == EndpointState::disabled) break;  // late answers do not undo a 410
        e.failures = 0;
        e.pause = milliseconds(0);
        impl_->move_to(name, e, EndpointState::closed, at, change);
        break;
      case Verdict::failure:
        if (e.state == EndpointState::disabled || !impl_->breaker_on()) break;
        if (e.failures == 0 || at - e.first_failure > b.failure_window) {
          e.failures = 0;
          e.first_failure = at;
        }
        ++e.failures;
        if (probe && e.state == EndpointState::half_open) {
          impl_->open(name, e, at, true, change);
        } else if (e.state == EndpointState::closed && e.failures >= b.failure_threshold) {
          impl_->open(name, e, at, false, change);
        }
        break;
    }
  }
  impl_->report(change);
}

bool EndpointPolicy::enable(std::string_view endpoint) {
  std::string name = endpoint_of(endpoint);
  if (name.empty()) name = std::string(endpoint);
  std::optional<Change> change;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const auto found = impl_->endpoints.find(name);
    if (found == impl_->endpoints.end()) return false;
    Endpoint& e = found->second;
    e.failures = 0;
    e.pause = milliseconds(0);
    e.probing = false;
    impl_->move_to(name, e, EndpointState::closed, impl_->now(), change);
  }
  impl_->report(change);
  return true;
}

std::vector<EndpointStatus> EndpointPolicy::endpoints() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const auto at = impl_->now();
  std::vector<EndpointStatus> out;
  out.reserve(impl_->endpoints.size());
  for (const auto& [name, e] : impl_->endpoints) {
    out.push_back(EndpointStatus{
        name, e.state, e.failures,
        e.state == EndpointState::open ? ceil_ms(e.open_until - at) : milliseconds(0), e.pause,
        e.version});
  }
  return out;
}

std::uint64_t EndpointPolicy::restore(const EndpointStatus& status) {
  std::string name = endpoint_of(status.endpoint);
  if (name.empty()) name = status.endpoint;
  if (name.empty()) return 0;
  std::optional<Change> change;
  std::uint64_t version = 0;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    const auto at = impl_->now();
    Endpoint& e = impl_->endpoints[name];
    const auto& b = impl_->options.breaker;
    e.failures = std::max(status.consecutive_failures, 0);
    e.first_failure = at;
    e.probing = false;
    switch (status.state) {
      case EndpointState::closed:
        e.pause = milliseconds(0);
        break;
      case EndpointState::open:
      case EndpointState::half_open:
        e.pause = std::clamp(status.pause, b.open_for, b.max_open_for);
        e.open_until = at + (status.state == EndpointState::open
                                 ? std::clamp(status.retry_in, milliseconds(0), b.max_open_for)
                                 : milliseconds(0));
        break;
      case EndpointState::disabled:
        break;
    }
    const EndpointState to =
        status.state == EndpointState::half_open ? EndpointState::open : status.state;
    impl_->move_to(name, e, to, at, change);
    version = e.version;
  }
  impl_->report(change);
  return version;
}

}  // namespace chathooks::delivery
