// Tests of Verifier: the reference vector, rotation, v1a, tampering, the tolerance window and
// its boundary, strict timestamps, malformed signature headers, header lookup in any case, and
// a code review guard that MACs are compared in constant time (concurrent use:
// signing_thread_test.cpp).
#include <cctype>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "chathooks/signing/keys.hpp"
#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"
#include "signing/signature_header.hpp"
#include "signing_test_support.hpp"

using chathooks::Errc;
using chathooks::signing::generate_ed25519_keypair;
using chathooks::signing::Signer;
using chathooks::signing::Verifier;
using chathooks::signing::VerifierOptions;
using chathooks_test::at;
using namespace chathooks_test::reference;

namespace {

Verifier make_verifier(std::vector<std::string> keys, VerifierOptions options = {}) {
  auto verifier = Verifier::create(std::move(keys), options);
  REQUIRE(verifier);
  return *verifier;
}

std::optional<Errc> code_of(const chathooks::Result<void>& result) {
  if (result) return std::nullopt;
  return result.error().code();
}

}  // namespace

TEST_CASE("Verifier accepts the Standard Webhooks reference vector") {
  const Verifier verifier = make_verifier({kSecret});
  const auto result = verifier.verify(kId, kTimestamp, kSignature, kBody, at(kNow));
  INFO((result ? std::string() : result.error().message()));
  CHECK(result);
  // The bare base64 form of the same secret verifies it too.
  CHECK(make_verifier({"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
            .verify(kId, kTimestamp, kSignature, kBody, at(kNow)));
}

TEST_CASE("rotation: any of the verifier's secrets, any of the header's signatures") {
  const auto both = Signer::create({kSecret, kOtherSecret});
  const auto old_only = Signer::create({kOtherSecret});
  REQUIRE(both);
  REQUIRE(old_only);
  const std::string two = both->sign(kId, kNow, kBody);
  const std::string old_signature = old_only->sign(kId, kNow, kBody);
  CHECK(make_verifier({kSecret}).verify(kId, kTimestamp, two, kBody, at(kNow)));
  CHECK(make_verifier({kOtherSecret}).verify(kId, kTimestamp, two, kBody, at(kNow)));
  CHECK(
      make_verifier({kSecret, kOtherSecret}).verify(kId, kTimestamp, kSignature, kBody, at(kNow)));
  CHECK(make_verifier({kSecret, kOtherSecret})
            .verify(kId, kTimestamp, old_signature, kBody, at(kNow)));
  // Neither secret matches a third one.
  CHECK(code_of(make_verifier({"whsec_c29tZSB1bnJlbGF0ZWQgc2VjcmV0IGtleQ=="})
                    .verify(kId, kTimestamp, two, kBody, at(kNow))) == Errc::signature_mismatch);
  // Unknown versions and malformed entries beside a good one are skipped.
  CHECK(make_verifier({kSecret}).verify(
      kId, kTimestamp, std::string("v2,abc v1,@@@ nonsense  ") + kSignature + " v1a,xyz", kBody,
      at(kNow)));
}

TEST_CASE("v1a: sign with a fresh Ed25519 key, verify with its public key") {
  const auto pair = generate_ed25519_keypair();
  REQUIRE(pair);
  const auto signer = Signer::create({pair->secret_key});
  REQUIRE(signer);
  const std::string header = signer->sign(kId, kNow, kBody);
  const Verifier verifier = make_verifier({pair->public_key});
  CHECK(verifier.verify(kId, kTimestamp, header, kBody, at(kNow)));
  CHECK(code_of(verifier.verify(kId, kTimestamp, header, std::string(kBody) + " ", at(kNow))) ==
        Errc::signature_mismatch);
  // Another key pair does not verify it; a v1 secret does not either.
  const auto other = generate_ed25519_keypair();
  REQUIRE(other);
  CHECK(code_of(
            make_verifier({other->public_key}).verify(kId, kTimestamp, header, kBody, at(kNow))) ==
        Errc::signature_mismatch);
  CHECK(code_of(make_verifier({kSecret}).verify(kId, kTimestamp, header, kBody, at(kNow))) ==
        Errc::signature_mismatch);
  // Mixed keys: a v1 secret and a v1a public key, either header verifies.
  const Verifier mixed = make_verifier({kSecret, pair->public_key});
  CHECK(mixed.verify(kId, kTimestamp, header, kBody, at(kNow)));
  CHECK(mixed.verify(kId, kTimestamp, kSignature, kBody, at(kNow)));
  // A flipped bit in the signature fails.
  std::string flipped = header;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  CHECK(code_of(verifier.verify(kId, kTimestamp, flipped, kBody, at(kNow))) ==
        Errc::signature_mismatch);
}

TEST_CASE("a tampered body, id or timestamp is a signature_mismatch") {
  const Verifier verifier = make_verifier({kSecret});
  CHECK(code_of(verifier.verify(kId, kTimestamp, kSignature, R"({"test": 2432232315})",
                                at(kNow))) == Errc::signature_mismatch);
  CHECK(code_of(verifier.verify(kId, kTimestamp, kSignature, R"({"test":2432232314})", at(kNow))) ==
        Errc::signature_mismatch);
  CHECK(code_of(verifier.verify(kId, kTimestamp, kSignature, "", at(kNow))) ==
        Errc::signature_mismatch);
  CHECK(code_of(verifier.verify("msg_p5jXN8AQM9LWM0D4loKWxJeK", kTimestamp, kSignature, kBody,
                                at(kNow))) == Errc::signature_mismatch);
  CHECK(code_of(verifier.verify(kId, "1614265331", kSignature, kBody, at(kNow))) ==
        Errc::signature_mismatch);
  // Leading zeros are digits too, and change the signed text.
  CHECK(code_of(verifier.verify(kId, "01614265330", kSignature, kBody, at(kNow))) ==
        Errc::signature_mismatch);
  // A wrong signature of the right shape.
  CHECK(code_of(verifier.verify(kId, kTimestamp, "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                                kBody, at(kNow))) == Errc::signature_mismatch);
}

TEST_CASE("the tolerance applies in both directions, its boundary included") {
  const Verifier verifier = make_verifier({kSecret});
  CHECK(verifier.verify(kId, kTimestamp, kSignature, kBody, at(kNow + 300)));
  CHECK(verifier.verify(kId, kTimestamp, kSignature, kBody, at(kNow - 300)));
  CHECK(verifier.verify(kId, kTimestamp, kSignature, kBody, at(kNow + 1)));
  CHECK(code_of(verifier.verify(kId, kTimestamp, kSignature, kBody, at(kNow + 301))) ==
        Errc::timestamp_out_of_range);
  CHECK(code_of(verifier.verify(kId, kTimestamp, kSignature, kBody, at(kNow - 301))) ==
        Errc::timestamp_out_of_range);
  // A stale signature is out of range even when it would match: the timestamp check comes
  // first, and the message says which way.
  const auto stale = verifier.verify(kId, kTimestamp, kSignature, kBody, at(kNow + 86400));
  REQUIRE_FALSE(stale);
  CHECK(stale.error().message().find("past") != std::string::npos);
  const auto future = verifier.verify(kId, kTimestamp, kSignature, kBody, at(kNow - 86400));
  REQUIRE_FALSE(future);
  CHECK(future.error().message().find("future") != std::string::npos);
  // Extreme clocks and timestamps do not overflow.
  using TimePoint = std::chrono::system_clock::time_point;
  CHECK(code_of(verifier.verify(kId, kTimestamp, kSignature, kBody, TimePoint::min())) ==
        Errc::timestamp_out_of_range);
  CHECK(code_of(verifier.verify(kId, kTimestamp, kSignature, kBody, TimePoint::max())) ==
        Errc::timestamp_out_of_range);
  CHECK(code_of(verifier.verify(kId, "9223372036854775807", kSignature, kBody, TimePoint::min())) ==
        Errc::timestamp_out_of_range);
}

TEST_CASE("the tolerance is configurable") {
  const Verifier tight = make_verifier({kSecret}, VerifierOptions{std::chrono::seconds(10)});
  CHECK(tight.verify(kId, kTimestamp, kSignature, kBody, at(kNow + 10)));
  CHECK(code_of(tight.verify(kId, kTimestamp, kSignature, kBody, at(kNow + 11))) ==
        Errc::timestamp_out_of_range);
  const Verifier exact = make_verifier({kSecret}, VerifierOptions{std::chrono::seconds(0)});
  CHECK(exact.verify(kId, kTimestamp, kSignature, kBody, at(kNow)));
  CHECK(code_of(exact.verify(kId, kTimestamp, kSignature, kBody, at(kNow - 1))) ==
        Errc::timestamp_out_of_range);
  const Verifier loose = make_verifier({kSecret}, VerifierOptions{std::chrono::hours(24 * 365)});
  CHECK(loose.verify(kId, kTimestamp, kSignature, kBody, at(kNow + 86400 * 300)));
  const auto negative = Verifier::create({kSecret}, VerifierOptions{std::chrono::seconds(-1)});
  REQUIRE_FALSE(negative);
  CHECK(negative.error().code() == Errc::invalid_argument);
}

TEST_CASE("a timestamp that is not only digits is an invalid_signature_header") {
  const Verifier verifier = make_verifier({kSecret});
  const std::string bad[] = {
      " 1614265330", "1614265330 ", "+1614265330", "-1614265330", "1e9", "1614265330.0", "",
      "0x60384472", "1614265330\n", std::string(30, '1'),
      // 20 digits: beyond int64.
      "99999999999999999999", "9223372036854775808",
      std::string("16142\0"
                  "65330",
                  11),
      "\xd9\xa1\xd9\xa6",  // Arabic-Indic digits are not ASCII digits
  };
  for (const std::string& timestamp : bad) {
    INFO(timestamp);
    CHECK(code_of(verifier.verify(kId, timestamp, kSignature, kBody, at(kNow))) ==
          Errc::invalid_signature_header);
  }
}

TEST_CASE("the strict timestamp parser's bounds") {
  using chathooks::signing::detail::parse_timestamp;
  CHECK(parse_timestamp("0") == 0);
  CHECK(parse_timestamp("1614265330") == 1614265330);
  CHECK(parse_timestamp("9223372036854775807") == std::numeric_limits<std::int64_t>::max());
  CHECK_FALSE(parse_timestamp("9223372036854775808"));
  CHECK(parse_timestamp("0000000000000000001") == 1);
  CHECK_FALSE(parse_timestamp("00000000000000000001"));  // 20 characters
}

TEST_CASE("signature headers without a usable signature are invalid_signature_header") {
  const Verifier verifier = make_verifier({kSecret});
  const std::string bad[] = {
      "",
      "   ",
      "garbage",
      "v2,abc",
      "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",  // the right MAC under an unknown version
      "v1,",
      "v1,not-base64!",
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE",    // unpadded
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ",       // too short
      "v1,Zm9v",                                           // decodes, wrong size
      "V1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",   // versions are case-sensitive
      "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",  // 32 bytes is not an Ed25519 signature
      "v1;g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
      std::string("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\0", 48),
      "\xff\xfe\x00garbage",
  };
  for (const std::string& header : bad) {
    INFO(header);
    CHECK(code_of(verifier.verify(kId, kTimestamp, header, kBody, at(kNow))) ==
          Errc::invalid_signature_header);
  }
}

TEST_CASE("the number of signature entries is bounded") {
  const Verifier verifier = make_verifier({kSecret});
  std::string header;
  for (std::size_t i = 0; i + 1 < Verifier::kMaxSignatureEntries; ++i) header += "v2,x ";
  header += kSignature;
  CHECK(verifier.verify(kId, kTimestamp, header, kBody, at(kNow)));
  header = "v2,x " + header;
  CHECK(code_of(verifier.verify(kId, kTimestamp, header, kBody, at(kNow))) ==
        Errc::invalid_signature_header);
  // A huge header of many entries is refused after the bound, not scanned entry by entry.
  std::string huge;
  for (int i = 0; i < 200000; ++i) huge += "v1,x ";
  CHECK(code_of(verifier.verify(kId, kTimestamp, huge, kBody, at(kNow))) ==
        Errc::invalid_signature_header);
}

TEST_CASE("an empty id is an invalid_signature_header") {
  CHECK(code_of(make_verifier({kSecret}).verify("", kTimestamp, kSignature, kBody, at(kNow))) ==
        Errc::invalid_signature_header);
}

TEST_CASE("errors never contain the key or the signature") {
  const Verifier verifier = make_verifier({kSecret});
  const std::vector<chathooks::Result<void>> failures = {
      verifier.verify(kId, kTimestamp, kSignature, "tampered", at(kNow)),
      verifier.verify(kId, kTimestamp, kSignature, kBody, at(kNow + 1000)),
      verifier.verify(kId, "x", kSignature, kBody, at(kNow)),
      verifier.verify(kId, kTimestamp, "v2,g0hM9SsE", kBody, at(kNow)),
  };
  for (const auto& failure : failures) {
    REQUIRE_FALSE(failure);
    INFO(failure.error().message());
    CHECK(failure.error().message().find("MfKQ9r8") == std::string::npos);
    CHECK(failure.error().message().find("g0hM9SsE") == std::string::npos);
  }
}

TEST_CASE("verify_headers reads the three headers through a lookup") {
  const Verifier verifier = make_verifier({kSecret});
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"Content-Type", "application/json"},
      {"Webhook-Id", kId},
      {"WEBHOOK-TIMESTAMP", kTimestamp},
      {"webhook-signature", kSignature},
  };
  // A case-insensitive lookup, as HttpHeaders::get is.
  const auto lookup = [&](std::string_view name) -> std::optional<std::string> {
    for (const auto& [field, value] : fields) {
      if (field.size() != name.size()) continue;
      bool same = true;
      for (std::size_t i = 0; i < name.size(); ++i) {
        same = same && std::tolower(static_cast<unsigned char>(field[i])) ==
                           std::tolower(static_cast<unsigned char>(name[i]));
      }
      if (same) return value;
    }
    return std::nullopt;
  };
  CHECK(verifier.verify_headers(lookup, kBody, at(kNow)));
  CHECK(code_of(verifier.verify_headers(lookup, "tampered", at(kNow))) == Errc::signature_mismatch);
  const auto missing = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
  CHECK(code_of(verifier.verify_headers(missing, kBody, at(kNow))) ==
        Errc::invalid_signature_header);
  CHECK(code_of(verifier.verify_headers(Verifier::HeaderLookup(), kBody, at(kNow))) ==
        Errc::invalid_argument);
}

TEST_CASE("verify_headers over a field list matches names in any case") {
  const Verifier verifier = make_verifier({kSecret});
  std::vector<std::pair<std::string, std::string>> fields = {
      {"Webhook-Id", kId},
      {"WEBHOOK-TIMESTAMP", kTimestamp},
      {"wEbHoOk-SiGnAtUrE", kSignature},
  };
  CHECK(verifier.verify_headers(fields, kBody, at(kNow)));
  auto missing = fields;
  missing.pop_back();
  CHECK(code_of(verifier.verify_headers(missing, kBody, at(kNow))) ==
        Errc::invalid_signature_header);
  auto repeated = fields;
  repeated.emplace_back("webhook-id", "msg_other");
  CHECK(code_of(verifier.verify_headers(repeated, kBody, at(kNow))) ==
        Errc::invalid_signature_header);
  // Names that merely contain the header names do not count.
  std::vector<std::pair<std::string, std::string>> near = {
      {"x-webhook-id", kId},
      {"webhook-timestamp", kTimestamp},
      {"webhook-signature", kSignature},
  };
  CHECK(code_of(verifier.verify_headers(near, kBody, at(kNow))) == Errc::invalid_signature_header);
}

TEST_CASE("verify without a clock argument uses the system clock") {
  const auto signer = Signer::create({kSecret});
  REQUIRE(signer);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::string timestamp = std::to_string(now);
  const std::string header = signer->sign(kId, now, kBody);
  const Verifier verifier = make_verifier({kSecret});
  CHECK(verifier.verify(kId, timestamp, header, kBody));
  // The reference vector is from 2021: far outside the tolerance of today's clock.
  CHECK(code_of(verifier.verify(kId, kTimestamp, kSignature, kBody)) ==
        Errc::timestamp_out_of_range);
}

TEST_CASE("code review: MACs are compared with CRYPTO_memcmp, never memcmp or ==") {
  std::ifstream in(std::string(CHATHOOKS_SOURCE_DIR) + "/src/signing/verifier.cpp");
  REQUIRE(in);
  const std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(source.find("CRYPTO_memcmp(expected->data(), entry.bytes.data()") != std::string::npos);
  CHECK(source.find(" memcmp(") == std::string::npos);
  CHECK(source.find("std::memcmp") == std::string::npos);
  CHECK(source.find("entry.bytes ==") == std::string::npos);
  CHECK(source.find("== entry.bytes") == std::string::npos);
}
