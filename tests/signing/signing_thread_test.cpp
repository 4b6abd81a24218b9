// A Signer and a Verifier used from several threads at once (the keyed HMAC context is copied
// per use, the Ed25519 keys are shared). Its own test program, labelled "concurrency", so that
// CI runs it under ThreadSanitizer.
#include <cstddef>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "chathooks/signing/keys.hpp"
#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"
#include "signing_test_support.hpp"

using chathooks::signing::generate_ed25519_keypair;
using chathooks::signing::Signer;
using chathooks::signing::Verifier;
using chathooks_test::at;
using namespace chathooks_test::reference;

TEST_CASE("a Signer is shared by copies and usable from several threads at once") {
  const auto pair = generate_ed25519_keypair();
  REQUIRE(pair);
  const auto created = Signer::create({kSecret, pair->secret_key});
  REQUIRE(created);
  const Signer signer = *created;  // copies share the keys
  const std::string expected = signer.sign(kId, kNow, kBody);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (signer.sign(kId, kNow, kBody) != expected) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const int m : mismatches) CHECK(m == 0);
}

TEST_CASE("a Verifier is usable from several threads at once") {
  const auto pair = generate_ed25519_keypair();
  REQUIRE(pair);
  const auto signer = Signer::create({pair->secret_key});
  REQUIRE(signer);
  const std::string v1a_header = signer->sign(kId, kNow, kBody);
  const auto created = Verifier::create({kOtherSecret, kSecret, pair->public_key});
  REQUIRE(created);
  const Verifier& verifier = *created;
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < wrong.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        if (!verifier.verify(kId, kTimestamp, kSignature, kBody, at(kNow))) ++wrong[t];
        if (!verifier.verify(kId, kTimestamp, v1a_header, kBody, at(kNow))) ++wrong[t];
        if (verifier.verify(kId, kTimestamp, kSignature, "tampered", at(kNow))) ++wrong[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const int w : wrong) CHECK(w == 0);
}
