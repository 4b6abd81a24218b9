// The durable-queue pattern of retry_schedule.hpp's header comment, run against an in-memory
// stand-in for the host's queue: the same webhook-id on every attempt, a fresh timestamp,
// attempt times computed from the schedule, endpoint_gone reported distinctly.
#include <chathooks/delivery/retry_schedule.hpp>
#include <chathooks/delivery/signed_attempt.hpp>
#include <chathooks/signing/signer.hpp>
#include <chathooks/testing/fake_transport.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "catch.hpp"
#include "delivery_test_support.hpp"

using namespace chathooks::delivery;
using chathooks::http::HttpRequest;
using chathooks::testing::FakeTransport;
using std::chrono::milliseconds;
using std::chrono::system_clock;

namespace {

struct Job {
  HttpRequest request;
  std::string message_id;
  system_clock::time_point first_attempt_at;
  int attempt = 1;
};

enum class End { pending, acked, dead_lettered, endpoint_disabled };

/// Runs the header's loop: each job runs when due; `now` jumps to the next due time.
End run_queue(Job job, FakeTransport& transport, const RetrySchedule& schedule,
              const chathooks::signing::Signer& signer, system_clock::time_point start,
              std::vector<system_clock::time_point>& attempt_times) {
  std::multimap<system_clock::time_point, Job> queue;
  queue.emplace(start, std::move(job));
  while (!queue.empty()) {
    auto next = queue.begin();
    const auto due = next->first;
    Job current = std::move(next->second);
    queue.erase(next);
    attempt_times.push_back(due);

    REQUIRE(sign_attempt(current.request, signer, current.message_id, due).ok());
    auto outcome = transport.send(current.request);
    const auto now = due + milliseconds(10);  // The attempt took 10 ms.
    const auto elapsed = std::chrono::duration_cast<milliseconds>(now - current.first_attempt_at);
    auto decision = schedule.decide(current.attempt, outcome, elapsed, now);
    switch (decision.verdict) {
      case RetryVerdict::delivered:
        return End::acked;
      case RetryVerdict::retry:
        ++current.attempt;
        queue.emplace(now + decision.delay, std::move(current));
        break;
      case RetryVerdict::give_up:
        return decision.reason == GiveUpReason::endpoint_gone ? End::endpoint_disabled
                                                              : End::dead_lettered;
    }
  }
  return End::pending;
}

}  // namespace

TEST_CASE("The durable-queue pattern") {
  auto signer = chathooks::signing::Signer::create({chathooks_test::kSecret});
  REQUIRE(signer.ok());
  RetryPolicy policy;  // A background sender's policy: hours, not seconds.
  policy.max_attempts = 10;
  policy.initial_delay = std::chrono::minutes(1);
  policy.multiplier = 4.0;
  policy.max_delay = std::chrono::hours(1);
  policy.jitter = 0.0;
  policy.deadline = std::chrono::hours(24);
  policy.retry_after_cap = std::chrono::hours(1);
  const RetrySchedule schedule(policy);
  const system_clock::time_point start{std::chrono::seconds(chathooks_test::kVectorTimestamp)};

  SECTION("retried across hours with one webhook-id until delivered") {
    FakeTransport transport;
    for (int i = 0; i < 4; ++i) transport.push_response(503);
    transport.push_response(200);
    Job job;
    job.request.url = "https://receiver.example/hooks";
    job.request.body = "{}";
    job.message_id = ensure_message_id(job.request);
    job.first_attempt_at = start;
    std::vector<system_clock::time_point> times;
    CHECK(run_queue(job, transport, schedule, *signer, start, times) == End::acked);
    // 1 min, 4 min, 16 min, then the 1 h cap (64 min), each after a 10 ms attempt.
    REQUIRE(times.size() == 5);
    CHECK(times[1] - times[0] == std::chrono::minutes(1) + milliseconds(10));
    CHECK(times[2] - times[1] == std::chrono::minutes(4) + milliseconds(10));
    CHECK(times[3] - times[2] == std::chrono::minutes(16) + milliseconds(10));
    CHECK(times[4] - times[3] == std::chrono::hours(1) + milliseconds(10));
    std::vector<std::string> stamps;
    for (const auto& request : transport.requests()) {
      CHECK(request.headers.get("webhook-id") == std::optional<std::string>(job.message_id));
      stamps.push_back(request.headers.get("webhook-timestamp").value_or(""));
    }
    CHECK(stamps.front() == "1614265330");
    CHECK(stamps.back() == std::to_string(chathooks_test::kVectorTimestamp + 60 + 240 + 960 +
                                          3600));  // The 10 ms steps add up to under 1 s.
  }

  SECTION("410 disables the endpoint") {
    FakeTransport transport;
    transport.push_response(503);
    transport.push_response(410);
    Job job;
    job.request.url = "https://receiver.example/hooks";
    job.message_id = ensure_message_id(job.request);
    job.first_attempt_at = start;
    std::vector<system_clock::time_point> times;
    CHECK(run_queue(job, transport, schedule, *signer, start, times) == End::endpoint_disabled);
    CHECK(times.size() == 2);
  }
}
