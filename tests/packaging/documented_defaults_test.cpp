// The defaults README.md documents ("Defaults, and how to change them"), checked against the
// code, and the README's block that changes them, compiled and run (the README quotes it from
// here; tests/packaging/check_readme_snippets.sh checks the quote). A default that changes
// fails here until the README's tables are changed with it.
#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "catch.hpp"
#include "chathooks/delivery/deliverer.hpp"
#include "chathooks/delivery/retry_schedule.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/json.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/idempotency_store.hpp"
#include "chathooks/receiver/options.hpp"
#include "chathooks/signing/keys.hpp"
#include "chathooks/signing/verifier.hpp"
#include "chathooks/version.hpp"

using namespace chathooks;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_CASE("the delivery defaults are the README's") {
  const delivery::RetryPolicy retry;
  CHECK(retry.max_attempts == 3);
  CHECK(retry.initial_delay == milliseconds(500));
  CHECK(retry.multiplier == 2.0);
  CHECK(retry.max_delay == seconds(5));
  CHECK(retry.jitter == 0.5);
  CHECK(retry.deadline == seconds(20));
  CHECK(retry.retry_after_cap == seconds(5));
  const delivery::DelivererOptions options;
  CHECK(options.signing_keys.empty());
  CHECK_FALSE(options.signer.has_value());
}

TEST_CASE("the transport defaults are the README's") {
  const http::CurlTransportOptions options;
  CHECK(options.connect_timeout == seconds(10));
  CHECK(options.timeout == seconds(30));
  CHECK(options.low_speed_limit_bytes == 1024);
  CHECK(options.low_speed_time == seconds(15));
  CHECK(options.max_response_bytes == 1024 * 1024);
  CHECK(options.max_header_bytes == 64 * 1024);
  CHECK(options.max_connections_per_host == 16);
  CHECK(options.max_connections_total == 64);
  CHECK(options.max_queued == 10000);
  CHECK_FALSE(options.follow_redirects);
  CHECK(options.verify_tls);
  CHECK(options.proxy.empty());
  CHECK_FALSE(options.allow_private_addresses);
  CHECK(options.user_agent == std::string("chathooks/") + CHATHOOKS_VERSION_STRING);
}

TEST_CASE("the receiving and parsing defaults are the README's") {
  const receiver::ReceiverOptions options;
  CHECK(options.authenticator == nullptr);  // none: make_receiver refuses to build without one
  CHECK(options.deduplicate);
  CHECK(options.idempotency_store == nullptr);  // a MemoryIdempotencyStore is made
  CHECK(options.dedupe_window == seconds(600));
  CHECK(options.max_body_bytes == 1024 * 1024);
  CHECK_FALSE(options.require_content_type);
  CHECK_FALSE(options.system_now);  // empty: std::chrono::system_clock::now
  const receiver::MemoryIdempotencyStoreOptions store;
  CHECK(store.max_entries == 100000);
  CHECK(store.max_bytes == 64 * 1024 * 1024);
  CHECK_FALSE(store.steady_now);  // empty: std::chrono::steady_clock::now
  CHECK(signing::VerifierOptions{}.tolerance == seconds(300));
  const ParseOptions parse;
  CHECK(parse.max_bytes == 16 * 1024 * 1024);
  CHECK(parse.max_depth == 128);
  CHECK(parse.max_values == 100000);
  CHECK(parse.duplicate_keys == DuplicateKeys::reject);
  CHECK(parse.allow_bom);
}

TEST_CASE("the README's block that changes the defaults builds working objects") {
  const std::string secret = signing::generate_secret().value();
  const std::string previous_secret = signing::generate_secret().value();

  // Sending: a slower, more patient policy, over a transport for a private network.
  http::CurlTransportOptions transport_options;
  transport_options.timeout = std::chrono::seconds(10);
  transport_options.max_connections_per_host = 4;
  transport_options.allow_private_addresses = true;  // the endpoints are on your own network
  auto transport = http::make_curl_transport(transport_options);

  delivery::DelivererOptions delivery_options;
  delivery_options.retry.max_attempts = 5;
  delivery_options.retry.deadline = std::chrono::minutes(2);
  delivery_options.signing_keys = {secret};
  auto deliverer = delivery::Deliverer::create(transport, delivery_options);

  // Receiving: a smaller body cap, a required JSON Content-Type, a shorter replay window.
  signing::VerifierOptions verifier_options;
  verifier_options.tolerance = std::chrono::seconds(120);
  auto verifier = signing::Verifier::create({secret, previous_secret}, verifier_options);
  receiver::ReceiverOptions receiver_options;
  receiver_options.authenticator = receiver::standard_webhooks(verifier.value());
  receiver_options.max_body_bytes = 256 * 1024;
  receiver_options.require_content_type = true;
  receiver_options.dedupe_window = std::chrono::seconds(240);

  REQUIRE(transport != nullptr);
  REQUIRE(deliverer.ok());
  REQUIRE(verifier.ok());
  CHECK(receiver_options.authenticator != nullptr);
}
