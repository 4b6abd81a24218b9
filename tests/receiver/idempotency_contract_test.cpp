// The IdempotencyStore contract, the same for every shared engine: claim, complete, release,
// conflicts, expiry, byte-exact answers and keys, and store objects on one place (as separate
// processes would have) seeing one another's keys. Each test program links one engine's
// make_idempotency_under_test() (idempotency_under_test.hpp).
// Thread-safety: single-threaded tests (idempotency_contract_thread_test.cpp races them).
#include <chrono>
#include <string>
#include <thread>

#include "catch.hpp"
#include "chathooks/receiver/idempotency_store.hpp"
#include "idempotency_under_test.hpp"

using chathooks::receiver::Claim;
using chathooks::receiver::ClaimState;
using chathooks::receiver::IdempotencyStore;
using chathooks::receiver::StoredReply;
using idempotency_test::make_idempotency_under_test;
using std::chrono::seconds;

namespace {

constexpr seconds kLong{3600};

ClaimState claim(IdempotencyStore& store, const std::string& key, const std::string& digest,
                 seconds ttl = kLong) {
  auto claimed = store.claim(key, digest, ttl);
  INFO((claimed ? std::string() : claimed.error().message()));
  REQUIRE(claimed);
  return claimed->state;
}

Claim claim_full(IdempotencyStore& store, const std::string& key, const std::string& digest,
                 seconds ttl = kLong) {
  auto claimed = store.claim(key, digest, ttl);
  INFO((claimed ? std::string() : claimed.error().message()));
  REQUIRE(claimed);
  return *claimed;
}

void complete(IdempotencyStore& store, const std::string& key, const std::string& digest,
              const StoredReply& reply, seconds ttl = kLong) {
  auto done = store.complete(key, digest, reply, ttl);
  INFO((done ? std::string() : done.error().message()));
  REQUIRE(done);
}

void release(IdempotencyStore& store, const std::string& key, const std::string& token) {
  auto done = store.release(key, token);
  INFO((done ? std::string() : done.error().message()));
  REQUIRE(done);
}

// An answer with every byte that text handling could lose: NUL, 0xFF, a lone continuation.
StoredReply binary_reply() {
  StoredReply reply;
  reply.status = 202;
  reply.content_type = "application/octet-stream";
  reply.body = std::string("a\0b\xFF\x80z", 6);
  return reply;
}

void wait_past(seconds ttl) { std::this_thread::sleep_for(ttl + std::chrono::milliseconds(500)); }

}  // namespace

TEST_CASE("IdempotencyStore: a new key is claimed, then in progress") {
  auto place = make_idempotency_under_test();
  auto store = place->open();
  CHECK(claim(*store, "msg_1", "d1") == ClaimState::claimed);
  CHECK(claim(*store, "msg_1", "d1") == ClaimState::in_progress);
  CHECK(claim(*store, "msg_2", "d1") == ClaimState::claimed);
}

TEST_CASE("IdempotencyStore: a completed key answers with its reply, byte for byte") {
  auto place = make_idempotency_under_test();
  auto store = place->open();
  REQUIRE(claim(*store, "msg_1", "d1") == ClaimState::claimed);
  complete(*store, "msg_1", "d1", binary_reply());
  const Claim found = claim_full(*store, "msg_1", "d1");
  CHECK(found.state == ClaimState::completed);
  REQUIRE(found.reply);
  CHECK(found.reply->status == 202);
  CHECK(found.reply->content_type == "application/octet-stream");
  CHECK(found.reply->body == std::string("a\0b\xFF\x80z", 6));

  // An empty answer stays empty.
  REQUIRE(claim(*store, "msg_2", "d2") == ClaimState::claimed);
  complete(*store, "msg_2", "d2", StoredReply{204, "", ""});
  const Claim empty = claim_full(*store, "msg_2", "d2");
  CHECK(empty.state == ClaimState::completed);
  REQUIRE(empty.reply);
  CHECK(empty.reply->status == 204);
  CHECK(empty.reply->content_type.empty());
  CHECK(empty.reply->body.empty());
}

TEST_CASE("IdempotencyStore: another digest is a conflict, unless either digest is empty") {
  auto place = make_idempotency_under_test();
  auto store = place->open();
  REQUIRE(claim(*store, "msg_1", "d1") == ClaimState::claimed);
  CHECK(claim(*store, "msg_1", "d2") == ClaimState::conflict);
  CHECK(claim(*store, "msg_1", "") == ClaimState::in_progress);
  complete(*store, "msg_1", "d1", StoredReply{200, "text/plain", "ok"});
  CHECK(claim(*store, "msg_1", "d2") == ClaimState::conflict);
  CHECK(claim(*store, "msg_1", "") == ClaimState::completed);
  CHECK(claim(*store, "msg_1", "d1") == ClaimState::completed);

  // Recorded without a digest: any digest matches.
  REQUIRE(claim(*store, "msg_2", "") == ClaimState::claimed);
  CHECK(claim(*store, "msg_2", "d9") == ClaimState::in_progress);
  complete(*store, "msg_2", "", StoredReply{200, "", ""});
  CHECK(claim(*store, "msg_2", "d9") == ClaimState::completed);
}

TEST_CASE("IdempotencyStore: release forgets an in-progress key only") {
  auto place = make_idempotency_under_test();
  auto store = place->open();
  const Claim first = claim_full(*store, "msg_1", "d1");
  REQUIRE(first.state == ClaimState::claimed);
  CHECK_FALSE(first.token.empty());
  release(*store, "msg_1", "not-the-token");  // another caller's token: kept
  CHECK(claim(*store, "msg_1", "d1") == ClaimState::in_progress);
  release(*store, "msg_1", first.token);
  const Claim again = claim_full(*store, "msg_1", "d2");  // forgotten: no conflict either
  CHECK(again.state == ClaimState::claimed);
  CHECK(again.token != first.token);

  const Claim second = claim_full(*store, "msg_2", "d1");
  REQUIRE(second.state == ClaimState::claimed);
  complete(*store, "msg_2", "d1", StoredReply{201, "", ""});
  release(*store, "msg_2", second.token);
  CHECK(claim(*store, "msg_2", "d1") == ClaimState::completed);

  release(*store, "msg_unknown", first.token);
  CHECK(claim(*store, "msg_unknown", "d1") == ClaimState::claimed);
}

TEST_CASE("IdempotencyStore: complete records a key that was never claimed") {
  auto place = make_idempotency_under_test();
  auto store = place->open();
  complete(*store, "msg_1", "d1", StoredReply{200, "text/plain", "done"});
  const Claim found = claim_full(*store, "msg_1", "d1");
  CHECK(found.state == ClaimState::completed);
  REQUIRE(found.reply);
  CHECK(found.reply->body == "done");
}

TEST_CASE("IdempotencyStore: keys are bytes, not text") {
  auto place = make_idempotency_under_test();
  auto store = place->open();
  const std::string latin1("msg_\xE9t\xE9", 7);
  const std::string with_nul("msg_\0x", 6);
  const std::string digest("\x00\xFF\x10", 3);
  CHECK(claim(*store, latin1, digest) == ClaimState::claimed);
  CHECK(claim(*store, with_nul, digest) == ClaimState::claimed);
  CHECK(claim(*store, "msg_", digest) == ClaimState::claimed);  // not the same as with_nul
  complete(*store, latin1, digest, binary_reply());
  CHECK(claim(*store, latin1, digest) == ClaimState::completed);
  CHECK(claim(*store, latin1, std::string("\x00\xFF\x11", 3)) == ClaimState::conflict);
  CHECK(claim(*store, with_nul, digest) == ClaimState::in_progress);
}

TEST_CASE("IdempotencyStore: claims and answers expire after their ttl") {
  auto place = make_idempotency_under_test();
  auto store = place->open();
  REQUIRE(claim(*store, "msg_claim", "d1", seconds(1)) == ClaimState::claimed);
  REQUIRE(claim(*store, "msg_done", "d1") == ClaimState::claimed);
  complete(*store, "msg_done", "d1", StoredReply{200, "", ""}, seconds(1));
  REQUIRE(claim(*store, "msg_kept", "d1") == ClaimState::claimed);
  complete(*store, "msg_kept", "d1", StoredReply{200, "", ""});
  CHECK(claim(*store, "msg_claim", "d1") == ClaimState::in_progress);
  wait_past(seconds(1));
  // Expired: claimed again, whatever digest it had.
  CHECK(claim(*store, "msg_claim", "d2") == ClaimState::claimed);
  CHECK(claim(*store, "msg_done", "d2") == ClaimState::claimed);
  CHECK(claim(*store, "msg_kept", "d1") == ClaimState::completed);
  // A completion after the claim expired is still recorded.
  REQUIRE(claim(*store, "msg_late", "d1", seconds(0)) == ClaimState::claimed);
  complete(*store, "msg_late", "d1", StoredReply{200, "", ""});
  CHECK(claim(*store, "msg_late", "d1") == ClaimState::completed);
}

TEST_CASE("IdempotencyStore: store objects on one place share their keys") {
  auto place = make_idempotency_under_test();
  auto first = place->open();
  auto second = place->open();
  REQUIRE(claim(*first, "msg_1", "d1") == ClaimState::claimed);
  CHECK(claim(*second, "msg_1", "d1") == ClaimState::in_progress);
  CHECK(claim(*second, "msg_1", "d2") == ClaimState::conflict);
  complete(*first, "msg_1", "d1", binary_reply());
  const Claim found = claim_full(*second, "msg_1", "d1");
  CHECK(found.state == ClaimState::completed);
  REQUIRE(found.reply);
  CHECK(found.reply->body == binary_reply().body);

  // A token is the claim's, whichever object (process) it goes through.
  const Claim by_second = claim_full(*second, "msg_2", "d1");
  REQUIRE(by_second.state == ClaimState::claimed);
  release(*first, "msg_2", by_second.token);
  CHECK(claim(*first, "msg_2", "d1") == ClaimState::claimed);

  // One object's expired claim is taken over by another.
  REQUIRE(claim(*first, "msg_3", "d1", seconds(1)) == ClaimState::claimed);
  CHECK(claim(*second, "msg_3", "d1") == ClaimState::in_progress);
  wait_past(seconds(1));
  CHECK(claim(*second, "msg_3", "d1") == ClaimState::claimed);
  CHECK(claim(*first, "msg_3", "d1") == ClaimState::in_progress);
}

TEST_CASE("IdempotencyStore: a holder whose claim expired cannot release the next holder's") {
  auto place = make_idempotency_under_test();
  auto first = place->open();
  auto second = place->open();
  const Claim stale = claim_full(*first, "msg_1", "d1", seconds(1));
  REQUIRE(stale.state == ClaimState::claimed);
  wait_past(seconds(1));
  const Claim current = claim_full(*second, "msg_1", "d1");
  REQUIRE(current.state == ClaimState::claimed);
  CHECK(current.token != stale.token);
  // The first holder's handler fails late, and releases: the second holder's claim stands.
  release(*first, "msg_1", stale.token);
  CHECK(claim(*first, "msg_1", "d1") == ClaimState::in_progress);
  release(*second, "msg_1", current.token);
  CHECK(claim(*first, "msg_1", "d1") == ClaimState::claimed);
}

TEST_CASE("IdempotencyStore: many expired keys are cleaned up without changing answers") {
  auto place = make_idempotency_under_test();
  auto store = place->open();
  for (int i = 0; i < 150; ++i) {
    REQUIRE(claim(*store, "old_" + std::to_string(i), "d", seconds(0)) == ClaimState::claimed);
  }
  for (int i = 0; i < 150; ++i) {
    CHECK(claim(*store, "old_" + std::to_string(i), "other") == ClaimState::claimed);
  }
}
