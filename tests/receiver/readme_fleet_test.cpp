// The README's "Receivers in a fleet" block, run: two receivers, as two processes would have,
// each with its own store object on the test suite's Redis server, handle a webhook-id once
// between them; the same id with another body is 409. The README quotes the block from here
// (tests/packaging/check_readme_snippets.sh checks the quote).
#include <chathooks/flw/receiver.hpp>
#include <chathooks/flw/response_builder.hpp>
#include <chathooks/receiver/redis_idempotency_store.hpp>
#include <chathooks/signing/signer.hpp>
#include <chathooks/signing/verifier.hpp>

#include <atomic>
#include <chrono>
#include <ctime>
#include <string>

#include "catch.hpp"
#include "codec/codec_test_support.hpp"
#include "redis/redis_server.hpp"

using namespace chathooks;

namespace {

const std::string kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// One receiver process's set-up, as the README shows it.
receiver::Receiver make_fleet_receiver(const std::string& redis_uri, const std::string& key_prefix,
                                       std::atomic<int>& handled) {
  const auto verifier = signing::Verifier::create({kSecret}).value();
  auto handle_dispatch = [&handled](
                             const flw::Dispatch&,
                             const receiver::Delivery&) -> receiver::HandlerResult<flw::Response> {
    ++handled;
    return flw::ResponseBuilder().branch("CLIENTE_EXISTE").build();
  };
  receiver::RedisIdempotencyStoreOptions store_options;
  store_options.key_prefix = key_prefix;  // the tests' own keys; the default is fine elsewhere

  // In every receiver process of the fleet: the same Redis, so each webhook-id is handled once.
  auto store = receiver::open_redis_idempotency_store(redis_uri, store_options).value();
  receiver::ReceiverOptions options;
  options.authenticator = receiver::standard_webhooks(verifier);
  options.idempotency_store = store;
  options.claim_timeout = std::chrono::seconds(30);  // a dead process's delivery, retried after
  auto flw_receiver = flw::make_receiver(handle_dispatch, options).value();
  return flw_receiver;
}

receiver::Request signed_post(const std::string& id, const std::string& body) {
  receiver::Request request;
  request.method = "POST";
  request.body = body;
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  request.headers = {
      {"Content-Type", "application/json"},
      {"webhook-id", id},
      {"webhook-timestamp", std::to_string(now)},
      {"webhook-signature", signing::Signer::create({kSecret}).value().sign(id, now, body)}};
  return request;
}

}  // namespace

TEST_CASE("the README's fleet block: two receivers on one Redis handle an id once") {
  const std::string prefix = test_redis::unique_prefix("readme");
  std::atomic<int> handled{0};
  const auto first = make_fleet_receiver(test_redis::uri(), prefix, handled);
  const auto second = make_fleet_receiver(test_redis::uri(), prefix, handled);
  const std::string body = codec_test::load_vector("flw_dispatch.json");

  const auto a = first.handle(signed_post("msg_fleet", body));
  const auto b = second.handle(signed_post("msg_fleet", body));
  CHECK(a.disposition == receiver::Disposition::handled);
  CHECK(b.disposition == receiver::Disposition::duplicate);
  CHECK(b.response.body == a.response.body);
  CHECK(handled == 1);

  const auto reused = second.handle(signed_post("msg_fleet", body + " "));
  CHECK(reused.disposition == receiver::Disposition::conflict);
  CHECK(reused.response.status == 409);
  CHECK(handled == 1);
  CHECK(second.counts().conflict == 1);
}
