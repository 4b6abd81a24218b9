// Tests of key generation and of the key texts the Signer and Verifier accept: whsec_ and bare
// base64 secrets, whsk_ in its 32- and 64-byte forms, whpk_, and refusals that never echo the
// key.
#include <set>
#include <string>

#include "catch.hpp"
#include "chathooks/signing/keys.hpp"
#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"
#include "signing/base64.hpp"
#include "signing_test_support.hpp"

using chathooks::Errc;
using chathooks::signing::generate_ed25519_keypair;
using chathooks::signing::generate_secret;
using chathooks::signing::new_message_id;
using chathooks::signing::Signer;
using chathooks::signing::Verifier;
using chathooks::signing::detail::base64_decode;
using chathooks::signing::detail::base64_encode;
using chathooks_test::at;
using chathooks_test::from_hex;

namespace {

// RFC 8032 section 7.1, test 1: an Ed25519 seed and the public key it gives.
const std::string kRfcSeed =
    from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
const std::string kRfcPublic =
    from_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

}  // namespace

TEST_CASE("generate_secret gives whsec_ secrets of the requested size, all different") {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    const auto secret = generate_secret();
    REQUIRE(secret);
    REQUIRE(secret->rfind("whsec_", 0) == 0);
    const auto raw = base64_decode(secret->substr(6));
    REQUIRE(raw);
    CHECK(raw->size() == 32);
    CHECK(seen.insert(*secret).second);
    CHECK(Signer::create({*secret}));
  }
  const auto small = generate_secret(24);
  REQUIRE(small);
  CHECK(base64_decode(small->substr(6))->size() == 24);
  CHECK(generate_secret(23).error().code() == Errc::invalid_argument);
  CHECK(generate_secret(65).error().code() == Errc::invalid_argument);
}

TEST_CASE("generate_ed25519_keypair gives a whsk_/whpk_ pair that belongs together") {
  const auto pair = generate_ed25519_keypair();
  REQUIRE(pair);
  REQUIRE(pair->secret_key.rfind("whsk_", 0) == 0);
  REQUIRE(pair->public_key.rfind("whpk_", 0) == 0);
  CHECK(base64_decode(pair->secret_key.substr(5))->size() == 32);
  CHECK(base64_decode(pair->public_key.substr(5))->size() == 32);
  const auto other = generate_ed25519_keypair();
  REQUIRE(other);
  CHECK(other->secret_key != pair->secret_key);
  CHECK(other->public_key != pair->public_key);
}

TEST_CASE("a whsk_ seed gives the RFC 8032 public key") {
  // Signed with the RFC seed, verified with the RFC public key: the seed is read as RFC 8032
  // says, and the signature is plain Ed25519.
  const auto signer = Signer::create({"whsk_" + base64_encode(kRfcSeed)});
  REQUIRE(signer);
  const auto verifier = Verifier::create({"whpk_" + base64_encode(kRfcPublic)});
  REQUIRE(verifier);
  const std::string header = signer->sign("msg_1", 1614265330, "{}");
  CHECK(header.rfind("v1a,", 0) == 0);
  CHECK(verifier->verify("msg_1", "1614265330", header, "{}", at(1614265330)));
}

TEST_CASE("a 64-byte whsk_ key (seed then public key) is accepted when its halves agree") {
  const auto seed_only = Signer::create({"whsk_" + base64_encode(kRfcSeed)});
  const auto full = Signer::create({"whsk_" + base64_encode(kRfcSeed + kRfcPublic)});
  REQUIRE(seed_only);
  REQUIRE(full);
  // Ed25519 is deterministic: the same key signs the same content identically.
  CHECK(full->sign("msg_1", 5, "body") == seed_only->sign("msg_1", 5, "body"));

  std::string wrong_public = kRfcPublic;
  wrong_public[0] = static_cast<char>(wrong_public[0] ^ 1);
  const auto mismatched = Signer::create({"whsk_" + base64_encode(kRfcSeed + wrong_public)});
  REQUIRE_FALSE(mismatched);
  CHECK(mismatched.error().code() == Errc::invalid_secret);
  CHECK(Verifier::create({"whsk_" + base64_encode(kRfcSeed + wrong_public)}).error().code() ==
        Errc::invalid_secret);
}

TEST_CASE("a whsk_ key given to the Verifier verifies with its public half") {
  const auto pair = generate_ed25519_keypair();
  REQUIRE(pair);
  const auto signer = Signer::create({pair->secret_key});
  const auto verifier = Verifier::create({pair->secret_key});
  REQUIRE(signer);
  REQUIRE(verifier);
  CHECK(verifier->verify("msg_1", "100", signer->sign("msg_1", 100, "x"), "x", at(100)));
}

TEST_CASE("invalid keys are refused with invalid_secret and never echoed") {
  const std::string bad_keys[] = {
      "",                                       // empty
      "whsec_",                                 // empty after the prefix
      "whsec_not base64!",                      // garbage
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",  // bad length
      "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n",     // trailing newline
      "whsk_" + base64_encode("short"),         // wrong Ed25519 size
      "whsk_",                                  // empty Ed25519 key
      "whsk_@@@@",                              // garbage Ed25519 key
  };
  for (const std::string& key : bad_keys) {
    INFO(key);
    const auto signer = Signer::create({key});
    const auto verifier = Verifier::create({key});
    REQUIRE_FALSE(signer);
    REQUIRE_FALSE(verifier);
    CHECK(signer.error().code() == Errc::invalid_secret);
    CHECK(verifier.error().code() == Errc::invalid_secret);
    // The key's payload (after any prefix) never appears in the message.
    const std::string payload = key.size() > 6 ? key.substr(6) : std::string();
    if (!payload.empty()) {
      CHECK(signer.error().message().find(payload) == std::string::npos);
      CHECK(verifier.error().message().find(payload) == std::string::npos);
    }
  }
  // A whpk_ public key can verify but never sign; a wrong-size whpk_ is refused by both.
  const std::string public_key = "whpk_" + base64_encode(kRfcPublic);
  CHECK(Signer::create({public_key}).error().code() == Errc::invalid_secret);
  CHECK(Verifier::create({"whpk_" + base64_encode("short")}).error().code() ==
        Errc::invalid_secret);
  // No keys at all.
  CHECK(Signer::create({}).error().code() == Errc::invalid_secret);
  CHECK(Verifier::create({}).error().code() == Errc::invalid_secret);
}

TEST_CASE("an invalid key among valid ones is named by position, not text") {
  const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const auto signer = Signer::create({secret, "whsec_%%%%secretish%%%%"});
  REQUIRE_FALSE(signer);
  CHECK(signer.error().code() == Errc::invalid_secret);
  CHECK(signer.error().message().find("key 2") != std::string::npos);
  CHECK(signer.error().message().find("secretish") == std::string::npos);
  CHECK(signer.error().message().find("MfKQ9r8") == std::string::npos);
}

TEST_CASE("new_message_id gives msg_ and 26 base32 characters, unique") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = new_message_id();
    REQUIRE(id.size() == 30);
    REQUIRE(id.rfind("msg_", 0) == 0);
    for (const char c : id.substr(4)) {
      INFO(id);
      CHECK(std::string("0123456789abcdefghjkmnpqrstvwxyz").find(c) != std::string::npos);
    }
    CHECK(seen.insert(id).second);
  }
}
