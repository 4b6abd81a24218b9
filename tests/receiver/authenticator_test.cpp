// Tests of the receiver's authenticators: Standard Webhooks headers (valid, rotated, tampered,
// stale, future, missing, repeated, any case), the shared token (present, absent, wrong,
// repeated, rotated, bearer, whitespace, construction errors, no token in messages),
// allow_unauthenticated and all_of (order, first refusal, proves_sender).
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/signing/keys.hpp"
#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"

using chathooks::Errc;
using chathooks::Result;
using chathooks::receiver::all_of;
using chathooks::receiver::allow_unauthenticated;
using chathooks::receiver::Authenticator;
using chathooks::receiver::AuthenticatorPtr;
using chathooks::receiver::Request;
using chathooks::receiver::shared_token;
using chathooks::receiver::source_addresses;
using chathooks::receiver::standard_webhooks;
using chathooks::signing::Signer;
using chathooks::signing::Verifier;

namespace {

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kOtherSecret = "whsec_dGhpcyBpcyBhIHNlY29uZCBzZWNyZXQga2V5IQ==";
constexpr const char* kId = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
constexpr std::int64_t kNow = 1700000000;
constexpr const char* kBody = R"({"event":{"messageId":"m-1","type":"message"}})";

// The wall-clock time `unix_seconds` after the epoch: the receiver's "now".
std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

Signer make_signer(std::vector<std::string> keys) {
  auto signer = Signer::create(std::move(keys));
  REQUIRE(signer);
  return *signer;
}

AuthenticatorPtr make_standard(std::vector<std::string> keys) {
  auto verifier = Verifier::create(std::move(keys));
  REQUIRE(verifier);
  return standard_webhooks(*verifier);
}

// A request signed by `signer` at `timestamp` over kBody.
Request signed_request(const Signer& signer, std::int64_t timestamp) {
  Request request;
  request.method = "POST";
  request.body = kBody;
  request.headers = {{"Content-Type", "application/json"},
                     {"webhook-id", kId},
                     {"webhook-timestamp", std::to_string(timestamp)},
                     {"webhook-signature", signer.sign(kId, timestamp, kBody)}};
  return request;
}

Errc code_of(const Result<void>& result) {
  REQUIRE_FALSE(result);
  return result.error().code();
}

AuthenticatorPtr make_token(std::string name, std::vector<std::string> tokens) {
  auto authenticator = shared_token(std::move(name), std::move(tokens));
  REQUIRE(authenticator);
  return *authenticator;
}

Request with_headers(std::vector<std::pair<std::string, std::string>> headers) {
  Request request;
  request.method = "POST";
  request.body = "{}";
  request.headers = std::move(headers);
  return request;
}

// An authenticator that records that it ran and answers as told.
class Recording final : public Authenticator {
 public:
  Recording(std::vector<int>& log, int name, bool accept)
      : log_(log), name_(name), accept_(accept) {}
  Result<void> authenticate(const Request&, std::chrono::system_clock::time_point) const override {
    log_.push_back(name_);
    if (accept_) return {};
    return chathooks::Error(Errc::unauthenticated, "refused by " + std::to_string(name_));
  }

 private:
  std::vector<int>& log_;
  int name_;
  bool accept_;
};

}  // namespace

TEST_CASE("standard_webhooks accepts a request signed with the key") {
  const auto authenticator = make_standard({kSecret});
  const auto result =
      authenticator->authenticate(signed_request(make_signer({kSecret}), kNow), at(kNow));
  INFO((result ? std::string() : result.error().message()));
  CHECK(result);
  CHECK(authenticator->proves_sender());
}

TEST_CASE("standard_webhooks reads the headers in any case") {
  const auto authenticator = make_standard({kSecret});
  Request request = signed_request(make_signer({kSecret}), kNow);
  request.headers[1].first = "Webhook-Id";
  request.headers[2].first = "WEBHOOK-TIMESTAMP";
  request.headers[3].first = "Webhook-Signature";
  CHECK(authenticator->authenticate(request, at(kNow)));
}

TEST_CASE("standard_webhooks accepts rotated secrets and v1a keys") {
  const auto pair = chathooks::signing::generate_ed25519_keypair();
  REQUIRE(pair);
  const auto authenticator = make_standard({kOtherSecret, kSecret, pair->public_key});
  // Signed with the old secret only, with the new one only, with the Ed25519 key only.
  CHECK(authenticator->authenticate(signed_request(make_signer({kSecret}), kNow), at(kNow)));
  CHECK(authenticator->authenticate(signed_request(make_signer({kOtherSecret}), kNow), at(kNow)));
  CHECK(
      authenticator->authenticate(signed_request(make_signer({pair->secret_key}), kNow), at(kNow)));
  // A sender that signs with both during the rotation.
  CHECK(authenticator->authenticate(signed_request(make_signer({kSecret, kOtherSecret}), kNow),
                                    at(kNow)));
  // A verifier that knows only the new secret refuses the old one.
  CHECK(code_of(make_standard({kOtherSecret})
                    ->authenticate(signed_request(make_signer({kSecret}), kNow), at(kNow))) ==
        Errc::signature_mismatch);
}

TEST_CASE("standard_webhooks refuses a tampered body, id or timestamp") {
  const auto authenticator = make_standard({kSecret});
  const Signer signer = make_signer({kSecret});
  SECTION("body") {
    Request request = signed_request(signer, kNow);
    request.body[request.body.size() - 2] = 'X';
    CHECK(code_of(authenticator->authenticate(request, at(kNow))) == Errc::signature_mismatch);
  }
  SECTION("body re-encoded with a space") {
    Request request = signed_request(signer, kNow);
    request.body.insert(1, " ");
    CHECK(code_of(authenticator->authenticate(request, at(kNow))) == Errc::signature_mismatch);
  }
  SECTION("id") {
    Request request = signed_request(signer, kNow);
    request.headers[1].second += "x";
    CHECK(code_of(authenticator->authenticate(request, at(kNow))) == Errc::signature_mismatch);
  }
  SECTION("timestamp") {
    Request request = signed_request(signer, kNow);
    request.headers[2].second = std::to_string(kNow - 1);
    CHECK(code_of(authenticator->authenticate(request, at(kNow))) == Errc::signature_mismatch);
  }
  SECTION("signature") {
    Request request = signed_request(signer, kNow);
    auto& signature = request.headers[3].second;
    signature[4] = signature[4] == 'A' ? 'B' : 'A';
    CHECK(code_of(authenticator->authenticate(request, at(kNow))) == Errc::signature_mismatch);
  }
}

TEST_CASE("standard_webhooks refuses stale and future timestamps, at the receiver's clock") {
  const auto authenticator = make_standard({kSecret});
  const Signer signer = make_signer({kSecret});
  // The default tolerance is 300 s each way, inclusive.
  CHECK(authenticator->authenticate(signed_request(signer, kNow - 300), at(kNow)));
  CHECK(authenticator->authenticate(signed_request(signer, kNow + 300), at(kNow)));
  CHECK(code_of(authenticator->authenticate(signed_request(signer, kNow - 301), at(kNow))) ==
        Errc::timestamp_out_of_range);
  CHECK(code_of(authenticator->authenticate(signed_request(signer, kNow + 301), at(kNow))) ==
        Errc::timestamp_out_of_range);
  // The same request is accepted or refused by the `now` passed in, not the system clock.
  const Request old = signed_request(signer, 1000);
  CHECK(authenticator->authenticate(old, at(1000)));
  CHECK(code_of(authenticator->authenticate(old, at(kNow))) == Errc::timestamp_out_of_range);
}

TEST_CASE("standard_webhooks refuses a missing or repeated header") {
  const auto authenticator = make_standard({kSecret});
  const Request valid = signed_request(make_signer({kSecret}), kNow);
  for (std::size_t index = 1; index <= 3; ++index) {
    CAPTURE(valid.headers[index].first);
    Request missing = valid;
    missing.headers.erase(missing.headers.begin() + static_cast<std::ptrdiff_t>(index));
    CHECK(code_of(authenticator->authenticate(missing, at(kNow))) ==
          Errc::invalid_signature_header);

    // Repeated with the same value, and in another case: still ambiguous, still refused.
    Request repeated = valid;
    repeated.headers.push_back(valid.headers[index]);
    CHECK(code_of(authenticator->authenticate(repeated, at(kNow))) ==
          Errc::invalid_signature_header);
    Request repeated_case = valid;
    std::string upper = valid.headers[index].first;
    for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    repeated_case.headers.emplace_back(upper, valid.headers[index].second);
    CHECK(code_of(authenticator->authenticate(repeated_case, at(kNow))) ==
          Errc::invalid_signature_header);
  }
  CHECK(code_of(authenticator->authenticate(with_headers({}), at(kNow))) ==
        Errc::invalid_signature_header);
}

TEST_CASE("standard_webhooks error messages hold no signature or secret") {
  const auto authenticator = make_standard({kSecret});
  Request request = signed_request(make_signer({kOtherSecret}), kNow);
  const auto result = authenticator->authenticate(request, at(kNow));
  REQUIRE_FALSE(result);
  const std::string& signature = request.headers[3].second;
  CHECK(result.error().message().find(signature.substr(3)) == std::string::npos);
  CHECK(result.error().message().find("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == std::string::npos);
}

TEST_CASE("shared_token accepts exactly one field with an accepted token") {
  const auto authenticator = make_token("X-Flw-Token", {"s3cr3t-token"});
  CHECK(authenticator->proves_sender());
  CHECK(authenticator->authenticate(with_headers({{"X-Flw-Token", "s3cr3t-token"}}), at(kNow)));
  // Names in any case, among other fields.
  CHECK(authenticator->authenticate(
      with_headers({{"Accept", "*/*"}, {"x-flw-token", "s3cr3t-token"}, {"Other", "x"}}),
      at(kNow)));
  // Optional whitespace around the value is not part of it.
  CHECK(
      authenticator->authenticate(with_headers({{"X-Flw-Token", " \ts3cr3t-token\t "}}), at(kNow)));
}

TEST_CASE("shared_token refuses an absent, wrong or repeated token") {
  const auto authenticator = make_token("X-Flw-Token", {"s3cr3t-token"});
  const auto refuse = [&](std::vector<std::pair<std::string, std::string>> headers) {
    const auto result = authenticator->authenticate(with_headers(std::move(headers)), at(kNow));
    REQUIRE_FALSE(result);
    CHECK(result.error().code() == Errc::unauthenticated);
    // The message names the header and never the token.
    CHECK(result.error().message().find("X-Flw-Token") != std::string::npos);
    CHECK(result.error().message().find("s3cr3t") == std::string::npos);
  };
  refuse({});
  refuse({{"X-Other-Token", "s3cr3t-token"}});
  refuse({{"X-Flw-Token", ""}});
  refuse({{"X-Flw-Token", "s3cr3t-tokeN"}});
  refuse({{"X-Flw-Token", "s3cr3t-token-and-more"}});
  refuse({{"X-Flw-Token", "s3cr3t-toke"}});
  refuse({{"X-Flw-Token", std::string("s3cr3t-token\0", 13)}});
  // Repeated: even when one of the two is right, and even when both are.
  refuse({{"X-Flw-Token", "wrong"}, {"X-Flw-Token", "s3cr3t-token"}});
  refuse({{"X-Flw-Token", "s3cr3t-token"}, {"x-flw-token", "s3cr3t-token"}});
}

TEST_CASE("shared_token accepts any of several tokens, for rotation") {
  const auto authenticator = make_token("X-Token", {"old-token", "new-token"});
  CHECK(authenticator->authenticate(with_headers({{"X-Token", "old-token"}}), at(kNow)));
  CHECK(authenticator->authenticate(with_headers({{"X-Token", "new-token"}}), at(kNow)));
  CHECK(code_of(authenticator->authenticate(with_headers({{"X-Token", "older-token"}}),
                                            at(kNow))) == Errc::unauthenticated);
}

TEST_CASE("shared_token checks a bearer token in Authorization, scheme included") {
  const auto authenticator = make_token("Authorization", {"Bearer abc.def-123"});
  CHECK(authenticator->authenticate(with_headers({{"authorization", "Bearer abc.def-123"}}),
                                    at(kNow)));
  CHECK(code_of(authenticator->authenticate(with_headers({{"Authorization", "abc.def-123"}}),
                                            at(kNow))) == Errc::unauthenticated);
  CHECK(code_of(authenticator->authenticate(with_headers({{"Authorization", "Basic abc.def-123"}}),
                                            at(kNow))) == Errc::unauthenticated);
  CHECK(code_of(authenticator->authenticate(with_headers({{"Authorization", "Bearer abc"}}),
                                            at(kNow))) == Errc::unauthenticated);
}

TEST_CASE("shared_token refuses a bad header name or token at creation") {
  const auto invalid = [](std::string name, std::vector<std::string> tokens) {
    const auto result = shared_token(std::move(name), std::move(tokens));
    REQUIRE_FALSE(result);
    CHECK(result.error().code() == Errc::invalid_argument);
    return result.error().message();
  };
  invalid("", {"t"});
  invalid("X Token", {"t"});
  invalid("X-Token:", {"t"});
  invalid("X-Tøken", {"t"});
  invalid("X-Token\r\n", {"t"});
  invalid("X-Token", {});
  CHECK(invalid("X-Token", {"good", ""}) == "token 2 is empty");
  // A token's text never appears in the message, only its position.
  CHECK(invalid("X-Token", {"secret\r\nInjected: 1"}) == "token 1 holds CR, LF or NUL");
  CHECK(invalid("X-Token", {"ok", "secret\nvalue"}) == "token 2 holds CR, LF or NUL");
  CHECK(invalid("X-Token", {std::string("secret\0value", 12)}) == "token 1 holds CR, LF or NUL");
  CHECK(invalid("X-Token", {" secret"}) == "token 1 begins or ends with whitespace");
  CHECK(invalid("X-Token", {"secret\t"}) == "token 1 begins or ends with whitespace");
  // Every RFC 9110 token character is a valid name.
  CHECK(shared_token("!#$%&'*+-.^_`|~09azAZ", {"t"}));
}

TEST_CASE("allow_unauthenticated accepts anything and proves nothing") {
  const auto authenticator = allow_unauthenticated();
  CHECK(authenticator->authenticate(Request{}, at(0)));
  CHECK(authenticator->authenticate(with_headers({{"webhook-signature", "v1,garbage"}}), at(kNow)));
  CHECK_FALSE(authenticator->proves_sender());
}

TEST_CASE("all_of runs its members in order and stops at the first refusal") {
  std::vector<int> log;
  const AuthenticatorPtr accept1 = std::make_shared<Recording>(log, 1, true);
  const AuthenticatorPtr refuse2 = std::make_shared<Recording>(log, 2, false);
  const AuthenticatorPtr refuse3 = std::make_shared<Recording>(log, 3, false);
  const AuthenticatorPtr accept4 = std::make_shared<Recording>(log, 4, true);

  auto all = all_of({accept1, refuse2, refuse3, accept4});
  REQUIRE(all);
  const auto result = (*all)->authenticate(Request{}, at(kNow));
  REQUIRE_FALSE(result);
  CHECK(result.error().message() == "refused by 2");
  CHECK(log == std::vector<int>{1, 2});

  log.clear();
  auto both = all_of({accept4, accept1});
  REQUIRE(both);
  CHECK((*both)->authenticate(Request{}, at(kNow)));
  CHECK(log == std::vector<int>{4, 1});
}

TEST_CASE("all_of combines a token and an address list") {
  auto addresses = source_addresses({"203.0.113.0/24"});
  REQUIRE(addresses);
  auto all = all_of({make_token("X-Token", {"t0k3n"}), *addresses});
  REQUIRE(all);
  Request request = with_headers({{"X-Token", "t0k3n"}});
  request.remote_address = "203.0.113.9";
  CHECK((*all)->authenticate(request, at(kNow)));
  request.remote_address = "198.51.100.9";
  CHECK(code_of((*all)->authenticate(request, at(kNow))) == Errc::unauthenticated);
  request.remote_address = "203.0.113.9";
  request.headers[0].second = "wrong";
  CHECK(code_of((*all)->authenticate(request, at(kNow))) == Errc::unauthenticated);
}

TEST_CASE("all_of proves the sender when any member does") {
  auto only_none = all_of({allow_unauthenticated()});
  REQUIRE(only_none);
  CHECK_FALSE((*only_none)->proves_sender());
  auto with_token = all_of({allow_unauthenticated(), make_token("X-Token", {"t"})});
  REQUIRE(with_token);
  CHECK((*with_token)->proves_sender());
}

TEST_CASE("all_of refuses an empty list or a null member") {
  const auto empty = all_of({});
  REQUIRE_FALSE(empty);
  CHECK(empty.error().code() == Errc::invalid_argument);
  const auto null = all_of({allow_unauthenticated(), nullptr});
  REQUIRE_FALSE(null);
  CHECK(null.error().code() == Errc::invalid_argument);
  CHECK(null.error().message() == "authenticator 2 is null");
}
