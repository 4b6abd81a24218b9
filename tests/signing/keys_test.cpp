// Tests of key generation and of the key texts the Signer and Verifier accept: whsec_ and bare
// base64 secrets (16 bytes at least), whsk_ in its 32- and 64-byte forms, whpk_ (canonical
// points of the curve, not of small order), and refusals that never echo the key.
#include <set>
#include <string>
#include <vector>

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

// A Signer made with `signing_key` and a Verifier made with `verifying_key` are both created,
// and the verifier accepts the signer's signature.
void check_signs_and_verifies(const std::string& signing_key, const std::string& verifying_key) {
  const auto signer = Signer::create({signing_key});
  const auto verifier = Verifier::create({verifying_key});
  REQUIRE(signer);
  REQUIRE(verifier);
  CHECK(verifier->verify("msg_1", "100", signer->sign("msg_1", 100, "x"), "x", at(100)));
}

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
  check_signs_and_verifies(pair->secret_key, pair->secret_key);
}

TEST_CASE("invalid keys are refused with invalid_secret and never echoed") {
  const std::string bad_keys[] = {
      "",                                              // empty
      "whsec_",                                        // empty after the prefix
      "whsec_not base64!",                             // garbage
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",         // bad length
      "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n",            // trailing newline
      "whsk_" + base64_encode("short"),                // wrong Ed25519 size
      "whsk_",                                         // empty Ed25519 key
      "whsk_@@@@",                                     // garbage Ed25519 key
      "whsec_AA==",                                    // a v1 secret of 1 byte (16 at least)
      "whsec_" + base64_encode(std::string(15, 'k')),  // 15 bytes
      base64_encode(std::string(15, 'k')),             // 15 bytes, bare base64
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

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The error message of a Signer::create or Verifier::create that must fail.
template <typename Created>
std::string refusal(const Created& created) {
  REQUIRE_FALSE(created);
  CHECK(created.error().code() == Errc::invalid_secret);
  return created.error().message();
}

// Each whpk_ key of these 32 bytes (hexadecimal) is refused by the Verifier with
// invalid_secret, a message naming the key by position and giving `reason`.
void check_public_keys_refused(const std::vector<std::string>& hex_keys,
                               const std::string& reason) {
  for (const std::string& hex : hex_keys) {
    INFO(hex);
    const std::string message = refusal(Verifier::create({"whpk_" + base64_encode(from_hex(hex))}));
    CHECK(message.rfind("key 1: ", 0) == 0);
    CHECK(contains(message, reason));
  }
}

}  // namespace

TEST_CASE("whpk_ keys of small order are refused: all eight points of order 1, 2, 4 and 8") {
  // The eight points P with [8]P = identity, canonically encoded. Checked against a separate
  // reference decoder (RFC 8032 section 5.1.3, in Python) and by generating the whole torsion
  // group as the multiples of [L]Q for a point Q: these eight and no others. The all-zero key
  // (order 4) verified an all-zero signature for about one message in four.
  const std::vector<std::string> small_order = {
      "0100000000000000000000000000000000000000000000000000000000000000",  // identity
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // order 2
      "0000000000000000000000000000000000000000000000000000000000000000",  // order 4
      "0000000000000000000000000000000000000000000000000000000000000080",  // order 4
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  // order 8
      "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",  // order 8
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  // order 8
      "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",  // order 8
  };
  check_public_keys_refused(small_order, "small order");
}

TEST_CASE("whpk_ keys that encode a point a second, non-canonical way are refused") {
  // y >= p = 2^255 - 19 (y = p and p + 1 are 0 and 1 again, the y of the order-4 points and of
  // the identity; then the largest 255-bit y), and x = 0 with the sign bit set (the identity
  // and the order-2 point).
  const std::vector<std::string> non_canonical = {
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = p
      "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  // y = p, sign set
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = p + 1
      "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  // y = p + 1, sign set
      "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = 2^255 - 1
      "0100000000000000000000000000000000000000000000000000000000000080",  // identity, x = -0
      "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  // order 2, x = -0
  };
  check_public_keys_refused(non_canonical, "not a canonical Ed25519 public key");
}

TEST_CASE("whpk_ keys that are not a point of the curve are refused") {
  // y = 2 gives no square x^2, nor does the RFC 8032 public key with its lowest bit flipped.
  const std::vector<std::string> off_curve = {
      "0200000000000000000000000000000000000000000000000000000000000000",
      "d65a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
  };
  check_public_keys_refused(off_curve, "not a point of the curve");
}

TEST_CASE("real whpk_ keys are still accepted and verify their signer's signatures") {
  // RFC 8032 section 7.1, tests 2 and 3, besides test 1 (kRfcPublic) used above.
  const std::string rfc_keys[] = {
      "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
      "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
  };
  for (const std::string& hex : rfc_keys) {
    INFO(hex);
    CHECK(Verifier::create({"whpk_" + base64_encode(from_hex(hex))}));
  }
  for (int i = 0; i < 20; ++i) {
    const auto pair = generate_ed25519_keypair();
    REQUIRE(pair);
    INFO(pair->public_key);
    check_signs_and_verifies(pair->secret_key, pair->public_key);
  }
}

TEST_CASE("v1 secrets shorter than 16 bytes are refused, naming the minimum") {
  const std::string fifteen(15, 'k');
  const std::string sixteen(16, 'k');
  // Refused by both (and never echoed: "invalid keys are refused ..." above); the message says
  // the minimum and the size the secret has.
  for (const std::string& key : {"whsec_" + base64_encode(fifteen), base64_encode(fifteen)}) {
    INFO(key);
    const std::string expected =
        "key 1: a v1 secret must have at least 16 bytes once base64-decoded (this one has 15)";
    CHECK(refusal(Signer::create({key})) == expected);
    CHECK(refusal(Verifier::create({key})) == expected);
  }
  CHECK(contains(refusal(Verifier::create({base64_encode(sixteen), "whsec_AA=="})),
                 "key 2: a v1 secret must have at least 16 bytes"));
  // 16 bytes, with and without the prefix, sign and verify.
  for (const std::string& key : {"whsec_" + base64_encode(sixteen), base64_encode(sixteen)}) {
    INFO(key);
    check_signs_and_verifies(key, key);
  }
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
