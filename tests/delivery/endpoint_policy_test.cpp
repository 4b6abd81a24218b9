// EndpointPolicy on a fake clock: the breaker's states (threshold within the window, pause,
// one probe at a time, doubling pause, 410 disables, enable), the token bucket's slots, the
// endpoint names and the observer's events.
#include <chathooks/delivery/endpoint_policy.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "catch.hpp"

using chathooks::Errc;
using chathooks::Error;
using chathooks::Result;
using chathooks::delivery::Admission;
using chathooks::delivery::EndpointEvent;
using chathooks::delivery::EndpointPolicy;
using chathooks::delivery::EndpointPolicyOptions;
using chathooks::delivery::EndpointState;
using chathooks::http::HttpResponse;
using std::chrono::milliseconds;
using Verdict = Admission::Verdict;

namespace {

struct Clock {
  std::chrono::steady_clock::time_point now{std::chrono::seconds(1000)};
};

class Transitions final : public chathooks::delivery::DeliveryObserver {
 public:
  std::vector<std::string> lines;
  void on_endpoint_state(const EndpointEvent& e) override {
    lines.push_back(std::string(e.endpoint) + " " + std::string(to_string(e.from)) + "->" +
                    std::string(to_string(e.to)) + " " + std::to_string(e.consecutive_failures) +
                    " " + std::to_string(e.retry_in.count()));
  }
};

Result<HttpResponse> status(int code) {
  HttpResponse response;
  response.status = code;
  return response;
}

const char* const kUrl = "https://Hooks.Example/a?x=1";

std::shared_ptr<EndpointPolicy> make(Clock& clock, EndpointPolicyOptions options) {
  options.steady_now = [&clock] { return clock.now; };
  auto policy = EndpointPolicy::create(std::move(options));
  REQUIRE(policy.ok());
  return *policy;
}

// An attempt admitted and ended with `outcome`.
void attempt(EndpointPolicy& policy, const Result<HttpResponse>& outcome) {
  const Admission admission = policy.admit(kUrl);
  REQUIRE(admission.verdict == Verdict::go);
  policy.record(kUrl, outcome, admission.probe);
}

}  // namespace

TEST_CASE("Endpoint names: the origin with its port") {
  CHECK(EndpointPolicy::endpoint_of("https://Hooks.Example/a?b") == "https://hooks.example:443");
  CHECK(EndpointPolicy::endpoint_of("HTTP://user:pw@h.example:8080/x") == "http://h.example:8080");
  CHECK(EndpointPolicy::endpoint_of("http://[::1]:9/x") == "http://[::1]:9");
  CHECK(EndpointPolicy::endpoint_of("http://[::1]/x") == "http://[::1]:80");
  CHECK(EndpointPolicy::endpoint_of("no-scheme") == "");
}

TEST_CASE("Breaker: opens after the threshold, refuses, lets one probe through, closes") {
  Clock clock;
  auto transitions = std::make_shared<Transitions>();
  EndpointPolicyOptions options;
  options.breaker.failure_threshold = 3;
  options.breaker.open_for = milliseconds(1000);
  options.observer = transitions;
  auto policy = make(clock, options);

  attempt(*policy, status(500));
  attempt(*policy, Error(Errc::timeout, "slow"));
  attempt(*policy, status(404));  // an answer: the run of failures ends
  attempt(*policy, status(503));
  attempt(*policy, status(429));
  CHECK(policy->endpoints().at(0).state == EndpointState::closed);
  attempt(*policy, Error(Errc::connection_refused, "down"));
  REQUIRE(policy->endpoints().at(0).state == EndpointState::open);

  Admission refused = policy->admit(kUrl);
  CHECK(refused.verdict == Verdict::refuse);
  CHECK(refused.error->code() == Errc::circuit_open);
  CHECK(refused.wait == milliseconds(1000));

  clock.now += milliseconds(1000);
  const Admission probe = policy->admit(kUrl);
  CHECK(probe.verdict == Verdict::go);
  CHECK(probe.probe);
  const Admission second = policy->admit(kUrl);  // while the probe is out
  CHECK(second.verdict == Verdict::refuse);
  CHECK(second.error->code() == Errc::circuit_open);
  policy->record(kUrl, status(502), true);  // the probe failed: paused twice as long
  CHECK(policy->endpoints().at(0).retry_in == milliseconds(2000));
  clock.now += milliseconds(1999);
  CHECK(policy->admit(kUrl).verdict == Verdict::refuse);
  clock.now += milliseconds(1);
  const Admission again = policy->admit(kUrl);
  REQUIRE(again.probe);
  policy->record(kUrl, status(200), true);
  CHECK(policy->endpoints().at(0).state == EndpointState::closed);
  CHECK(policy->admit(kUrl).verdict == Verdict::go);

  CHECK(transitions->lines == std::vector<std::string>{
                                  "https://hooks.example:443 closed->open 3 1000",
                                  "https://hooks.example:443 open->half_open 3 0",
                                  "https://hooks.example:443 half_open->open 4 2000",
                                  "https://hooks.example:443 open->half_open 4 0",
                                  "https://hooks.example:443 half_open->closed 0 0",
                              });
}

TEST_CASE("Breaker: failures spread wider than the window do not open it") {
  Clock clock;
  EndpointPolicyOptions options;
  options.breaker.failure_threshold = 2;
  options.breaker.failure_window = milliseconds(1000);
  auto policy = make(clock, options);
  attempt(*policy, status(500));
  clock.now += milliseconds(1001);
  attempt(*policy, status(500));
  CHECK(policy->endpoints().at(0).state == EndpointState::closed);
  clock.now += milliseconds(10);
  attempt(*policy, status(500));
  CHECK(policy->endpoints().at(0).state == EndpointState::open);
}

TEST_CASE("Breaker: a cancelled probe frees the slot, and 410 disables until enable()") {
  Clock clock;
  EndpointPolicyOptions options;
  options.breaker.failure_threshold = 1;
  auto policy = make(clock, options);
  attempt(*policy, status(500));
  clock.now += options.breaker.open_for;
  const Admission probe = policy->admit(kUrl);
  REQUIRE(probe.probe);
  policy->record(kUrl, Error(Errc::cancelled, "not sent"), true);
  CHECK(policy->admit(kUrl).probe);  // the next attempt may probe

  policy->record(kUrl, status(410), true);
  const Admission gone = policy->admit(kUrl);
  CHECK(gone.verdict == Verdict::refuse);
  CHECK(gone.error->code() == Errc::endpoint_disabled);
  policy->record(kUrl, status(200), false);  // a late answer does not undo the 410
  CHECK(policy->endpoints().at(0).state == EndpointState::disabled);
  CHECK_FALSE(policy->enable("https://other.example/"));
  CHECK(policy->enable("https://hooks.example:443"));
  CHECK(policy->admit(kUrl).verdict == Verdict::go);
}

TEST_CASE("Rate limit: a burst at once, then one slot per interval, per endpoint") {
  Clock clock;
  EndpointPolicyOptions options;
  options.rate_limit.per_second = 10;
  options.rate_limit.burst = 2;
  auto policy = make(clock, options);
  std::vector<long long> waits;
  for (int i = 0; i < 5; ++i) waits.push_back(policy->admit(kUrl).wait.count());
  CHECK(waits == std::vector<long long>{0, 0, 100, 200, 300});
  // Another endpoint has its own bucket.
  CHECK(policy->admit("https://other.example/").verdict == Verdict::go);
  // Time refills the bucket (and pays the reserved slots first).
  clock.now += milliseconds(400);
  CHECK(policy->admit(kUrl).verdict == Verdict::go);
  CHECK(policy->admit(kUrl).wait == milliseconds(100));
}

TEST_CASE("EndpointPolicy::create refuses settings that make no sense") {
  EndpointPolicyOptions options;
  options.rate_limit.burst = 0.5;
  CHECK(EndpointPolicy::create(options).error().code() == Errc::invalid_argument);
  options = {};
  options.breaker.open_for = milliseconds(0);
  CHECK(EndpointPolicy::create(options).error().code() == Errc::invalid_argument);
  options = {};
  options.breaker.failure_threshold = -1;
  CHECK(EndpointPolicy::create(options).error().code() == Errc::invalid_argument);
}

TEST_CASE("EndpointPolicy restore: a saved pause, disablement or probe resumes where it was") {
  Clock clock;
  auto observer = std::make_shared<Transitions>();
  EndpointPolicyOptions options;
  options.observer = observer;
  auto policy = make(clock, options);
  const std::string name = EndpointPolicy::endpoint_of(kUrl);

  chathooks::delivery::EndpointStatus saved;
  saved.endpoint = name;
  saved.state = EndpointState::open;
  saved.consecutive_failures = 6;
  saved.retry_in = milliseconds(20000);
  saved.pause = milliseconds(60000);  // already doubled once
  const std::uint64_t version = policy->restore(saved);
  CHECK(version == 1);
  CHECK(observer->lines == std::vector<std::string>{name + " closed->open 6 20000"});
  Admission refused = policy->admit(kUrl);
  CHECK(refused.verdict == Verdict::refuse);
  CHECK(refused.error->code() == Errc::circuit_open);
  CHECK(refused.wait == milliseconds(20000));

  clock.now += milliseconds(20000);
  const Admission probe = policy->admit(kUrl);
  REQUIRE(probe.verdict == Verdict::go);
  CHECK(probe.probe);
  policy->record(kUrl, status(503), true);
  auto status_now = policy->endpoints().at(0);
  CHECK(status_now.state == EndpointState::open);
  CHECK(status_now.pause == milliseconds(120000));  // the restored pause, doubled
  CHECK(status_now.retry_in == milliseconds(120000));
  CHECK(status_now.version == 3);  // open -> half_open -> open

  // half_open is taken as open with a probe due now; disabled refuses; an empty name is no one.
  saved.state = EndpointState::half_open;
  policy->restore(saved);
  CHECK(policy->admit(kUrl).probe);
  saved.state = EndpointState::disabled;
  policy->restore(saved);
  CHECK(policy->admit(kUrl).error->code() == Errc::endpoint_disabled);
  saved.state = EndpointState::closed;
  saved.consecutive_failures = 0;
  policy->restore(saved);
  CHECK(policy->admit(kUrl).verdict == Verdict::go);
  CHECK(policy->restore(chathooks::delivery::EndpointStatus{}) == 0);
}
