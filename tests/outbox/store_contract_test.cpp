// The OutboxStore contract, the same for every engine: enqueue and find byte for byte,
// refusals, leasing (due only, oldest first, at most max, expiry), settling and releasing (and
// their refusal with a stale lease), retry_dead, purge, next_due, and everything kept when the
// store is closed and opened again. Each test program links one engine's
// make_store_under_test() (store_under_test.hpp); each test case gets a fresh, empty store.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/outbox/store.hpp"
#include "store_test_helpers.hpp"
#include "store_under_test.hpp"

using chathooks::Errc;
using chathooks::outbox::MessageState;
using namespace outbox_test;  // NOLINT(google-build-using-namespace): the tests' helpers

TEST_CASE("OutboxStore enqueue then find returns the message byte for byte") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();

  StoredMessage m;
  m.id = "msg_\xc3\xa9t\xc3\xa9";
  m.kind = "boticario-event";
  m.request.method = "PUT";
  m.request.url = "https://example.com/a?b=c&d=%20";
  m.request.body = std::string("head\0tail\xff\xfe \xe2\x82\xac\n", 16);
  REQUIRE(m.request.body.size() == 16);
  REQUIRE(m.request.headers.add("Content-Type", "application/json"));
  REQUIRE(m.request.headers.add("X-Trace", "1"));
  REQUIRE(m.request.headers.add("Authorization", "Bearer abc"));
  REQUIRE(m.request.headers.add("x-trace", "2"));
  REQUIRE(m.request.headers.add("X-Empty", ""));
  m.request.timeout = milliseconds(2500);
  m.created_at = at(-5000);
  m.next_attempt_at = at(1234);
  REQUIRE(store->enqueue(m));

  const StoredMessage got = find(*store, m.id);
  CHECK(got.id == m.id);
  CHECK(got.kind == "boticario-event");
  CHECK(got.request.method == "PUT");
  CHECK(got.request.url == m.request.url);
  CHECK(got.request.body == m.request.body);
  const std::vector<std::pair<std::string, std::string>> expected_headers = {
      {"Content-Type", "application/json"},
      {"X-Trace", "1"},
      {"Authorization", "Bearer abc"},
      {"x-trace", "2"},
      {"X-Empty", ""}};
  CHECK(std::vector<std::pair<std::string, std::string>>(
            got.request.headers.begin(), got.request.headers.end()) == expected_headers);
  CHECK(got.request.timeout == milliseconds(2500));
  CHECK(got.state == MessageState::pending);
  CHECK(got.attempts == 0);
  CHECK(got.created_at == at(-5000));
  CHECK(got.next_attempt_at == at(1234));
  CHECK(got.last_error.empty());
  CHECK(got.dead_reason.empty());
  CHECK(attempts_of(*store, m.id).empty());
  CHECK(counts_are(*store, 1, 0, 0, 0));

  auto missing = store->find("msg_missing");
  REQUIRE(missing);
  CHECK_FALSE(missing->has_value());
}

TEST_CASE("OutboxStore keeps an empty body and no headers as such") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  StoredMessage m;
  m.id = "msg_empty";
  m.request.method = "GET";
  m.request.url = "http://example.com/";
  m.next_attempt_at = at(0);
  REQUIRE(store->enqueue(m));
  const StoredMessage got = find(*store, "msg_empty");
  CHECK(got.request.body.empty());
  CHECK(got.request.headers.empty());
  CHECK(got.request.timeout == milliseconds(0));
  CHECK(got.kind.empty());
}

TEST_CASE("OutboxStore refuses a duplicate id whatever the stored message's state") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  enqueue(*store, "msg_1", at(0));

  auto again = message("msg_1", at(50));
  again.request.body = "other";
  auto duplicate = store->enqueue(again);
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error().code() == Errc::duplicate);
  CHECK(find(*store, "msg_1").request.body == "{\"id\":\"msg_1\"}");

  auto leases = lease(*store, 1, at(0));
  REQUIRE(leases.size() == 1);
  REQUIRE(store->settle(leases[0], attempt_log(1, at(0), 200), delivered()));
  auto after_delivery = store->enqueue(again);
  REQUIRE_FALSE(after_delivery);
  CHECK(after_delivery.error().code() == Errc::duplicate);
  CHECK(counts_are(*store, 0, 0, 1, 0));
}

TEST_CASE("OutboxStore refuses an empty id or URL and stores nothing") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  auto no_id = message("", at(0));
  auto refused = store->enqueue(no_id);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == Errc::invalid_argument);

  auto no_url = message("msg_1", at(0));
  no_url.request.url.clear();
  refused = store->enqueue(no_url);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == Errc::invalid_argument);
  CHECK(counts_are(*store, 0, 0, 0, 0));

  auto bad_lease = store->lease(1, at(0), milliseconds(0));
  REQUIRE_FALSE(bad_lease);
  CHECK(bad_lease.error().code() == Errc::invalid_argument);
}

TEST_CASE("OutboxStore lease returns only due messages, oldest due first, at most max") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  enqueue(*store, "msg_c", at(30));
  enqueue(*store, "msg_a", at(10));
  enqueue(*store, "msg_future", at(100));
  enqueue(*store, "msg_b", at(20));
  enqueue(*store, "msg_d", at(50));  // due exactly at `now`

  CHECK(lease(*store, 0, at(50)).empty());

  const auto first = lease(*store, 2, at(50), seconds(30));
  CHECK(ids(first) == std::vector<std::string>{"msg_a", "msg_b"});
  for (const auto& l : first) {
    CHECK(l.message.state == MessageState::in_flight);
    CHECK(l.message.attempts == 0);
    CHECK(l.expires_at == at(50) + seconds(30));
    CHECK_FALSE(l.token.empty());
    CHECK(find(*store, l.message.id).state == MessageState::in_flight);
  }
  CHECK(first[0].token != first[1].token);
  CHECK(first[0].message.request.body == "{\"id\":\"msg_a\"}");

  CHECK(ids(lease(*store, 10, at(50))) == std::vector<std::string>{"msg_c", "msg_d"});
  CHECK(lease(*store, 10, at(50)).empty());
  CHECK(counts_are(*store, 1, 4, 0, 0));
}

TEST_CASE("OutboxStore lease merges pending messages and expired leases by due time, at most max") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  enqueue(*store, "msg_a", at(10));
  enqueue(*store, "msg_b", at(20));
  enqueue(*store, "msg_c", at(30));
  enqueue(*store, "msg_d", at(40));
  // a and c leased until 60 and never settled; b leased and released, so b and d are pending.
  REQUIRE(ids(lease(*store, 1, at(10), milliseconds(50))) == std::vector<std::string>{"msg_a"});
  auto bc = lease(*store, 2, at(30), milliseconds(30));
  REQUIRE(ids(bc) == std::vector<std::string>{"msg_b", "msg_c"});
  REQUIRE(store->release(bc[0]));

  // At 100: a and c expired (in flight), b and d pending; the oldest due come first, from
  // both, cut to max.
  const auto merged = lease(*store, 3, at(100), seconds(60));
  CHECK(ids(merged) == std::vector<std::string>{"msg_a", "msg_b", "msg_c"});
  REQUIRE(merged.size() == 3);
  CHECK(merged[0].message.attempts == 1);  // the expired lease counted
  CHECK(merged[1].message.attempts == 0);
  CHECK(merged[2].message.attempts == 1);
  CHECK(ids(lease(*store, 3, at(100), seconds(60))) == std::vector<std::string>{"msg_d"});
  CHECK(lease(*store, 3, at(100), seconds(60)).empty());
}

TEST_CASE("OutboxStore does not lease a message again before its lease expires") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  enqueue(*store, "msg_1", at(0));

  const auto first = lease(*store, 5, at(0), seconds(10));
  REQUIRE(first.size() == 1);
  CHECK(lease(*store, 5, at(0)).empty());
  CHECK(lease(*store, 5, at(9'999)).empty());

  const auto second = lease(*store, 5, at(10'000), seconds(10));
  REQUIRE(second.size() == 1);
  CHECK(second[0].message.id == "msg_1");
  CHECK(second[0].token != first[0].token);
  CHECK(second[0].expires_at == at(20'000));
  CHECK(second[0].message.state == MessageState::in_flight);
  CHECK(counts_are(*store, 0, 1, 0, 0));
  // The expired lease counts as a failed attempt, logged: a message that stalls its worker
  // every time still reaches the end of its schedule.
  CHECK(second[0].message.attempts == 1);
  CHECK(second[0].message.last_error.rfind("lease_expired: ", 0) == 0);
  CHECK(find(*store, "msg_1").attempts == 1);
  const auto logged = attempts_of(*store, "msg_1");
  REQUIRE(logged.size() == 1);
  CHECK(logged[0].number == 1);
  CHECK(logged[0].status == 0);
  CHECK(logged[0].started_at == at(10'000));
  CHECK(logged[0].error.rfind("lease_expired: ", 0) == 0);
}

TEST_CASE("OutboxStore settle as delivered, retry and dead updates the message and logs") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  enqueue(*store, "msg_ok", at(0));
  enqueue(*store, "msg_bad", at(1));

  auto leases = lease(*store, 2, at(10));
  REQUIRE(ids(leases) == std::vector<std::string>{"msg_ok", "msg_bad"});

  REQUIRE(store->settle(leases[0], attempt_log(1, at(10), 204), delivered()));
  auto ok = find(*store, "msg_ok");
  CHECK(ok.state == MessageState::delivered);
  CHECK(ok.attempts == 1);
  CHECK(ok.last_error.empty());
  CHECK(ok.next_attempt_at == at(0));

  REQUIRE(store->settle(leases[1], attempt_log(1, at(11), 503), retry_at(at(5000), "HTTP 503")));
  auto bad = find(*store, "msg_bad");
  CHECK(bad.state == MessageState::pending);
  CHECK(bad.attempts == 1);
  CHECK(bad.last_error == "HTTP 503");
  CHECK(bad.dead_reason.empty());
  CHECK(bad.next_attempt_at == at(5000));
  CHECK(counts_are(*store, 1, 0, 1, 0));
  CHECK(lease(*store, 5, at(4999)).empty());

  leases = lease(*store, 5, at(5000));
  REQUIRE(ids(leases) == std::vector<std::string>{"msg_bad"});
  CHECK(leases[0].message.attempts == 1);
  REQUIRE(store->settle(leases[0], attempt_log(2, at(5000), 0, "timeout: no answer in 10 s"),
                        dead("HTTP 410 Gone")));
  bad = find(*store, "msg_bad");
  CHECK(bad.state == MessageState::dead);
  CHECK(bad.attempts == 2);
  CHECK(bad.dead_reason == "HTTP 410 Gone");
  CHECK(bad.last_error == "HTTP 410 Gone");
  CHECK(bad.next_attempt_at == at(5000));
  CHECK(counts_are(*store, 0, 0, 1, 1));

  const auto logs = attempts_of(*store, "msg_bad");
  REQUIRE(logs.size() == 2);
  CHECK(logs[0].number == 1);
  CHECK(logs[0].started_at == at(11));
  CHECK(logs[0].duration == milliseconds(125));
  CHECK(logs[0].status == 503);
  CHECK(logs[0].error.empty());
  CHECK(logs[1].number == 2);
  CHECK(logs[1].status == 0);
  CHECK(logs[1].error == "timeout: no answer in 10 s");
  const auto ok_logs = attempts_of(*store, "msg_ok");
  REQUIRE(ok_logs.size() == 1);
  CHECK(ok_logs[0].status == 204);

  // Settled already: the lease is gone.
  auto twice = store->settle(leases[0], attempt_log(3, at(6000), 200), delivered());
  REQUIRE_FALSE(twice);
  CHECK(twice.error().code() == Errc::lease_lost);
  CHECK(find(*store, "msg_bad").state == MessageState::dead);
  CHECK(attempts_of(*store, "msg_bad").size() == 2);
}

TEST_CASE("OutboxStore refuses settle and release with a stale lease and changes nothing") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  enqueue(*store, "msg_1", at(0));

  const auto stale = lease(*store, 1, at(0), seconds(1));
  REQUIRE(stale.size() == 1);
  const auto current = lease(*store, 1, at(2000), seconds(30));
  REQUIRE(current.size() == 1);

  auto settled = store->settle(stale[0], attempt_log(1, at(0), 200), delivered());
  REQUIRE_FALSE(settled);
  CHECK(settled.error().code() == Errc::lease_lost);
  auto released = store->release(stale[0]);
  REQUIRE_FALSE(released);
  CHECK(released.error().code() == Errc::lease_lost);

  const auto m = find(*store, "msg_1");
  // Only the expired lease is on record (as attempt 1); the refused settle added nothing.
  CHECK(m.state == MessageState::in_flight);
  CHECK(m.attempts == 1);
  CHECK(m.last_error.rfind("lease_expired: ", 0) == 0);
  CHECK(attempts_of(*store, "msg_1").size() == 1);
  CHECK(lease(*store, 1, at(2001)).empty());  // the current lease still holds

  Lease forged = current[0];
  forged.token = "not-a-token";
  auto forged_settle = store->settle(forged, attempt_log(1, at(0), 200), delivered());
  REQUIRE_FALSE(forged_settle);
  CHECK(forged_settle.error().code() == Errc::lease_lost);

  REQUIRE(store->settle(current[0], attempt_log(1, at(2000), 200), delivered()));
  CHECK(find(*store, "msg_1").state == MessageState::delivered);
}

TEST_CASE("OutboxStore settle_all settles a batch together and reports the lost leases") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  enqueue(*store, "msg_1", at(0));
  enqueue(*store, "msg_2", at(1));
  enqueue(*store, "msg_3", at(2));
  const auto first = lease(*store, 3, at(10), milliseconds(5));
  REQUIRE(first.size() == 3);
  // msg_2's lease expires and another lease takes it: the first lease on it is stale.
  const auto retaken = lease(*store, 1, at(16), seconds(60));
  REQUIRE(ids(retaken) == std::vector<std::string>{"msg_1"});
  std::vector<chathooks::outbox::SettleItem> items(3);
  items[0] = {&first[1], attempt_log(1, at(12), 200), delivered()};
  items[1] = {&first[0], attempt_log(1, at(12), 503, ""), retry_at(at(5000), "HTTP 503")};
  items[2] = {&first[2], attempt_log(1, at(12), 410), dead("endpoint_gone")};
  auto settled = store->settle_all(items);
  REQUIRE(settled);
  // msg_1's first lease was lost to `retaken`; msg_2 and msg_3, expired but not leased again,
  // still answer to their first leases and are settled.
  CHECK(*settled == std::vector<bool>{true, false, true});
  CHECK(find(*store, "msg_2").state == MessageState::delivered);
  CHECK(find(*store, "msg_3").state == MessageState::dead);
  CHECK(find(*store, "msg_1").state == MessageState::in_flight);
  CHECK(attempts_of(*store, "msg_2").size() == 1);
  CHECK(attempts_of(*store, "msg_1").size() == 1);  // the expired lease only

  auto empty = store->settle_all({});
  REQUIRE(empty);
  CHECK(empty->empty());
  std::vector<chathooks::outbox::SettleItem> no_lease(1);
  auto refused = store->settle_all(no_lease);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == Errc::invalid_argument);
}

TEST_CASE("OutboxStore release makes the message pending again, due when it was") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  enqueue(*store, "msg_1", at(100));

  const auto first = lease(*store, 1, at(500));
  REQUIRE(first.size() == 1);
  REQUIRE(store->release(first[0]));
  const auto m = find(*store, "msg_1");
  CHECK(m.state == MessageState::pending);
  CHECK(m.next_attempt_at == at(100));
  CHECK(m.attempts == 0);
  CHECK(attempts_of(*store, "msg_1").empty());
  CHECK(counts_are(*store, 1, 0, 0, 0));

  auto again = store->release(first[0]);
  REQUIRE_FALSE(again);
  CHECK(again.error().code() == Errc::lease_lost);

  const auto second = lease(*store, 1, at(500));
  REQUIRE(second.size() == 1);
  CHECK(second[0].token != first[0].token);
}

TEST_CASE("OutboxStore retry_dead makes dead messages pending at now, with a fresh schedule") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  enqueue(*store, "msg_dead_1", at(0));
  enqueue(*store, "msg_dead_2", at(1));
  enqueue(*store, "msg_pending", at(9000));
  for (const auto& l : lease(*store, 2, at(10))) {
    REQUIRE(store->settle(l, attempt_log(1, at(10), 400), dead("HTTP 400")));
  }
  CHECK(counts_are(*store, 1, 0, 0, 2));

  auto retried = store->retry_dead(at(777));
  REQUIRE(retried);
  CHECK(*retried == 2);
  const auto m = find(*store, "msg_dead_1");
  CHECK(m.state == MessageState::pending);
  CHECK(m.next_attempt_at == at(777));
  CHECK(m.dead_reason.empty());
  CHECK(m.last_error == "HTTP 400");
  CHECK(m.attempts == 0);  // A fresh schedule; the log keeps the earlier attempts.
  CHECK(find(*store, "msg_pending").next_attempt_at == at(9000));
  CHECK(counts_are(*store, 3, 0, 0, 0));
  CHECK(attempts_of(*store, "msg_dead_1").size() == 1);

  retried = store->retry_dead(at(800));
  REQUIRE(retried);
  CHECK(*retried == 0);
}

TEST_CASE("OutboxStore purge deletes delivered or dead messages with their attempt logs") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  enqueue(*store, "msg_ok_1", at(0));
  enqueue(*store, "msg_ok_2", at(1));
  enqueue(*store, "msg_dead", at(2));
  enqueue(*store, "msg_leased", at(3));
  enqueue(*store, "msg_pending", at(9000));
  const auto leases = lease(*store, 4, at(10));
  REQUIRE(leases.size() == 4);
  REQUIRE(store->settle(leases[0], attempt_log(1, at(10), 200), delivered()));
  REQUIRE(store->settle(leases[1], attempt_log(1, at(10), 200), delivered()));
  REQUIRE(store->settle(leases[2], attempt_log(1, at(10), 400), dead("HTTP 400")));

  for (const auto state : {MessageState::pending, MessageState::in_flight}) {
    auto refused = store->purge(state);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code() == Errc::invalid_argument);
  }
  CHECK(counts_are(*store, 1, 1, 2, 1));

  auto purged = store->purge(MessageState::delivered);
  REQUIRE(purged);
  CHECK(*purged == 2);
  auto gone = store->find("msg_ok_1");
  REQUIRE(gone);
  CHECK_FALSE(gone->has_value());
  CHECK(attempts_of(*store, "msg_ok_1").empty());
  CHECK(attempts_of(*store, "msg_dead").size() == 1);
  CHECK(counts_are(*store, 1, 1, 0, 1));

  purged = store->purge(MessageState::dead);
  REQUIRE(purged);
  CHECK(*purged == 1);
  CHECK(attempts_of(*store, "msg_dead").empty());
  CHECK(counts_are(*store, 1, 1, 0, 0));

  // A purged id may be enqueued again.
  enqueue(*store, "msg_ok_1", at(0));
  CHECK(find(*store, "msg_ok_1").attempts == 0);
}

TEST_CASE("OutboxStore next_due is the earliest pending message's due time") {
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  auto due = store->next_due();
  REQUIRE(due);
  CHECK_FALSE(due->has_value());

  enqueue(*store, "msg_late", at(3000));
  enqueue(*store, "msg_early", at(1000));
  due = store->next_due();
  REQUIRE(due);
  REQUIRE(due->has_value());
  CHECK(**due == at(1000));

  REQUIRE(lease(*store, 1, at(1000)).size() == 1);  // in flight: not pending any more
  due = store->next_due();
  REQUIRE(due);
  REQUIRE(due->has_value());
  CHECK(**due == at(3000));

  REQUIRE(lease(*store, 1, at(3000)).size() == 1);
  due = store->next_due();
  REQUIRE(due);
  CHECK_FALSE(due->has_value());
}

TEST_CASE("OutboxStore keeps everything when the store is closed and opened again") {
  auto where = outbox_test::make_store_under_test();
  Lease held;
  {
    auto store = where->open();
    enqueue(*store, "msg_delivered", at(0));
    enqueue(*store, "msg_held", at(1));
    enqueue(*store, "msg_waiting", at(5000));
    auto leases = lease(*store, 2, at(10), seconds(60));
    REQUIRE(leases.size() == 2);
    REQUIRE(store->settle(leases[0], attempt_log(1, at(10), 200), delivered()));
    held = leases[1];
  }
  auto store = where->open();
  CHECK(counts_are(*store, 1, 1, 1, 0));
  CHECK(find(*store, "msg_delivered").state == MessageState::delivered);
  CHECK(attempts_of(*store, "msg_delivered").size() == 1);
  CHECK(find(*store, "msg_waiting").request.headers.get("content-type") == "application/json");
  CHECK(lease(*store, 5, at(20)).empty());  // the lease survived the restart
  REQUIRE(store->settle(held, attempt_log(1, at(20), 500), retry_at(at(100), "HTTP 500")));
  CHECK(find(*store, "msg_held").last_error == "HTTP 500");
}

TEST_CASE("OutboxStore endpoint records: kept across opens, the later save stays") {
  using chathooks::delivery::EndpointState;
  using chathooks::outbox::EndpointRecord;
  auto where = outbox_test::make_store_under_test();
  auto store = where->open();
  {
    auto none = store->endpoint_records();
    REQUIRE(none.ok());
    CHECK(none->empty());
  }
  EndpointRecord paused;
  paused.endpoint = "https://b.example:443";
  paused.state = EndpointState::open;
  paused.consecutive_failures = 5;
  paused.paused_until = at(30000);
  paused.pause = milliseconds(30000);
  paused.updated_at = at(1000);
  REQUIRE(store->save_endpoint(paused));
  EndpointRecord gone;
  gone.endpoint = "http://a.example:8080";
  gone.state = EndpointState::disabled;
  gone.updated_at = at(2000);
  REQUIRE(store->save_endpoint(gone));
  // A half_open breaker is kept as open.
  EndpointRecord probing = paused;
  probing.endpoint = "https://c.example:443";
  probing.state = EndpointState::half_open;
  REQUIRE(store->save_endpoint(probing));

  // An earlier save of b does not replace the later one; a later one does.
  EndpointRecord stale = paused;
  stale.state = EndpointState::closed;
  stale.updated_at = at(999);
  REQUIRE(store->save_endpoint(stale));
  EndpointRecord closed_again = paused;
  closed_again.endpoint = "http://a.example:8080";
  closed_again.state = EndpointState::closed;
  closed_again.consecutive_failures = 0;
  closed_again.updated_at = at(2001);
  REQUIRE(store->save_endpoint(closed_again));

  auto reopened = where->open();
  auto records = reopened->endpoint_records();
  REQUIRE(records.ok());
  REQUIRE(records->size() == 3);
  const EndpointRecord& a = (*records)[0];
  CHECK(a.endpoint == "http://a.example:8080");
  CHECK(a.state == EndpointState::closed);
  CHECK(a.updated_at == at(2001));
  const EndpointRecord& b = (*records)[1];
  CHECK(b.endpoint == "https://b.example:443");
  CHECK(b.state == EndpointState::open);
  CHECK(b.consecutive_failures == 5);
  CHECK(b.paused_until == at(30000));
  CHECK(b.pause == milliseconds(30000));
  CHECK(b.updated_at == at(1000));
  CHECK((*records)[2].state == EndpointState::open);

  EndpointRecord nameless;
  const auto refused = store->save_endpoint(nameless);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == Errc::invalid_argument);
}
