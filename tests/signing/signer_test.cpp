// Tests of Signer: the Standard Webhooks reference vector, the two secret forms, rotation,
// v1a, the exact bytes of the body, and concurrent use.
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/signing/keys.hpp"
#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"

using chathooks::signing::generate_ed25519_keypair;
using chathooks::signing::Signer;
using chathooks::signing::Verifier;

namespace {

// The reference vector of the Standard Webhooks specification and libraries.
constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kTimestamp = 1614265330;
constexpr const char* kBody = R"({"test": 2432232314})";
constexpr const char* kSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

}  // namespace

TEST_CASE("Signer reproduces the Standard Webhooks reference vector") {
  const auto signer = Signer::create({kSecret});
  REQUIRE(signer);
  CHECK(signer->sign(kId, kTimestamp, kBody) == kSignature);
}

TEST_CASE("a bare base64 secret signs as its whsec_ form") {
  const auto bare = Signer::create({"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"});
  REQUIRE(bare);
  CHECK(bare->sign(kId, kTimestamp, kBody) == kSignature);
}

TEST_CASE("every byte of the id, timestamp and body is signed") {
  const auto signer = Signer::create({kSecret});
  REQUIRE(signer);
  const std::string reference = signer->sign(kId, kTimestamp, kBody);
  CHECK(signer->sign("msg_p5jXN8AQM9LWM0D4loKWxJeK", kTimestamp, kBody) != reference);
  CHECK(signer->sign(kId, kTimestamp + 1, kBody) != reference);
  CHECK(signer->sign(kId, kTimestamp, std::string(kBody) + "\n") != reference);
  CHECK(signer->sign(kId, kTimestamp, R"({"test":2432232314})") != reference);
  // Binary bodies, NUL included, are signed as bytes.
  const std::string binary("a\0b\xff", 4);
  CHECK(signer->sign(kId, kTimestamp, binary) != signer->sign(kId, kTimestamp, "a"));
  CHECK(signer->sign(kId, kTimestamp, "") != reference);
}

TEST_CASE("several secrets give one signature each, in order") {
  const std::string other = "whsec_dGhpcyBpcyBhIHNlY29uZCBzZWNyZXQga2V5IQ==";
  const auto first = Signer::create({kSecret});
  const auto second = Signer::create({other});
  const auto both = Signer::create({kSecret, other});
  REQUIRE(first);
  REQUIRE(second);
  REQUIRE(both);
  const std::string a = first->sign(kId, kTimestamp, kBody);
  const std::string b = second->sign(kId, kTimestamp, kBody);
  CHECK(a != b);
  CHECK(both->sign(kId, kTimestamp, kBody) == a + " " + b);
}

TEST_CASE("v1a signatures are 64-byte Ed25519 signatures, deterministic") {
  const auto pair = generate_ed25519_keypair();
  REQUIRE(pair);
  const auto signer = Signer::create({pair->secret_key});
  REQUIRE(signer);
  const std::string header = signer->sign(kId, kTimestamp, kBody);
  REQUIRE(header.rfind("v1a,", 0) == 0);
  CHECK(header.size() == 4 + 88);  // base64 of 64 bytes
  CHECK(signer->sign(kId, kTimestamp, kBody) == header);

  // Mixed: a v1 secret and a v1a key give both kinds, in the order given.
  const auto mixed = Signer::create({kSecret, pair->secret_key});
  REQUIRE(mixed);
  CHECK(mixed->sign(kId, kTimestamp, kBody) == std::string(kSignature) + " " + header);
}

TEST_CASE("a Signer is shared by copies and usable from several threads at once") {
  const auto pair = generate_ed25519_keypair();
  REQUIRE(pair);
  const auto created = Signer::create({kSecret, pair->secret_key});
  REQUIRE(created);
  const Signer signer = *created;  // copies share the keys
  const std::string expected = signer.sign(kId, kTimestamp, kBody);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (signer.sign(kId, kTimestamp, kBody) != expected) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const int m : mismatches) CHECK(m == 0);
}
