// Helpers of the outbox store tests: a fixed clock, sample messages, and REQUIRE-checked
// shorthands for the store's calls. Header-only; each test program includes it once per file.
// Thread-safety: the helpers touch only their arguments (Catch2's REQUIRE is not thread-safe:
// call them from the test's thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/outbox/store.hpp"

namespace outbox_test {

using chathooks::outbox::AttemptLog;
using chathooks::outbox::Counts;
using chathooks::outbox::Lease;
using chathooks::outbox::OutboxStore;
using chathooks::outbox::Settlement;
using chathooks::outbox::StoredMessage;
using std::chrono::milliseconds;
using std::chrono::seconds;

using TimePoint = std::chrono::system_clock::time_point;

// A fixed instant, whole milliseconds (the store keeps milliseconds), plus `ms`.
inline TimePoint at(std::int64_t ms) {
  return TimePoint(milliseconds(std::int64_t{1'700'000'000'000} + ms));
}

inline StoredMessage message(const std::string& id, TimePoint due) {
  StoredMessage m;
  m.id = id;
  m.kind = "flw-dispatch";
  m.request.url = "https://example.com/hooks/" + id;
  m.request.body = "{\"id\":\"" + id + "\"}";
  REQUIRE(m.request.headers.add("Content-Type", "application/json"));
  m.created_at = at(0);
  m.next_attempt_at = due;
  return m;
}

inline void enqueue(OutboxStore& store, const std::string& id, TimePoint due) {
  REQUIRE(store.enqueue(message(id, due)));
}

inline std::vector<Lease> lease(OutboxStore& store, std::size_t max, TimePoint now,
                                milliseconds lease_for = seconds(30)) {
  auto leases = store.lease(max, now, lease_for);
  REQUIRE(leases);
  return *leases;
}

inline std::vector<std::string> ids(const std::vector<Lease>& leases) {
  std::vector<std::string> out;
  for (const auto& l : leases) out.push_back(l.message.id);
  return out;
}

inline StoredMessage find(OutboxStore& store, const std::string& id) {
  auto found = store.find(id);
  REQUIRE(found);
  REQUIRE(found->has_value());
  return **found;
}

inline Counts counts(OutboxStore& store) {
  auto c = store.counts();
  REQUIRE(c);
  return *c;
}

inline bool counts_are(OutboxStore& store, std::uint64_t pending, std::uint64_t in_flight,
                       std::uint64_t delivered, std::uint64_t dead) {
  const Counts c = counts(store);
  return c.pending == pending && c.in_flight == in_flight && c.delivered == delivered &&
         c.dead == dead;
}

inline AttemptLog attempt_log(int number, TimePoint started, int status, std::string error = "") {
  AttemptLog log;
  log.number = number;
  log.started_at = started;
  log.duration = milliseconds(125);
  log.status = status;
  log.error = std::move(error);
  return log;
}

inline Settlement delivered() { return Settlement{Settlement::Kind::delivered, {}, ""}; }
inline Settlement retry_at(TimePoint when, std::string reason) {
  return Settlement{Settlement::Kind::retry, when, std::move(reason)};
}
inline Settlement dead(std::string reason) {
  return Settlement{Settlement::Kind::dead, {}, reason};
}

inline std::vector<AttemptLog> attempts_of(OutboxStore& store, const std::string& id) {
  auto logs = store.attempts(id);
  REQUIRE(logs);
  return *logs;
}

}  // namespace outbox_test
