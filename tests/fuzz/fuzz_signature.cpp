// Fuzz target: Standard Webhooks verification. The input is four fields (fuzz_support.hpp's
// split_fields): webhook-id, webhook-timestamp, webhook-signature, then the raw body. Checks:
// - verify() and verify_headers() of the fields never crash and agree with each other;
// - what Signer signs for the id, timestamp and body verifies, with a v1 (HMAC) and a v1a
//   (Ed25519) key, and stops verifying once one byte of the body changes;
// - the id field, taken as a key, is accepted or refused by Verifier::create without crashing.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "chathooks/signing/signer.hpp"
#include "chathooks/signing/verifier.hpp"
#include "fuzz_support.hpp"

namespace {

using chathooks::signing::Signer;
using chathooks::signing::Verifier;

// The "now" of every verification; the seeds sign at this time.
constexpr std::int64_t kNow = 1700000000;

// The latest Unix second std::chrono::system_clock holds (the year 2262).
constexpr std::int64_t kMaxClockSeconds = static_cast<std::int64_t>(
    std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max())
        .count());

// The wall-clock time `unix_seconds` after the epoch, for Verifier's "now".
std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

// A v1 secret and a v1a secret key (the 32-byte seed 01 02 .. 20).
const std::vector<std::string>& keys() {
  static const std::vector<std::string> k = {"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                             "whsk_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA="};
  return k;
}

const Signer& signer() {
  static const Signer s = Signer::create(keys()).value();
  return s;
}

const Verifier& verifier() {
  static const Verifier v = Verifier::create(keys()).value();
  return v;
}

// Seconds since the epoch from a field of digits, else kNow (so that sign() gets a timestamp
// that the system clock can also hold as "now").
std::int64_t timestamp_or_now(std::string_view text) {
  if (text.empty() || text.size() > 18) return kNow;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return kNow;
    value = value * 10 + (c - '0');
  }
  return value <= kMaxClockSeconds ? value : kNow;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto fields = chathooks_fuzz::split_fields(chathooks_fuzz::as_text(data, size), 4);
  const std::string_view id = fields[0];
  const std::string_view timestamp = fields[1];
  const std::string_view header = fields[2];
  const std::string_view body = fields[3];

  // Whatever arrives: a verdict, the same through the header-list entry point.
  const auto direct = verifier().verify(id, timestamp, header, body, at(kNow));
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Webhook-Id", std::string(id)},
      {"webhook-timestamp", std::string(timestamp)},
      {"WEBHOOK-SIGNATURE", std::string(header)}};
  const auto listed = verifier().verify_headers(headers, body, at(kNow));
  chathooks_fuzz::require(direct.ok() == listed.ok(), "verify and verify_headers disagree");
  if (!direct) {
    chathooks_fuzz::require(direct.error().code() == listed.error().code(),
                            "verify and verify_headers fail differently",
                            direct.error().to_string() + " / " + listed.error().to_string());
  }

  // Sign then verify.
  if (!id.empty()) {
    const std::int64_t when = timestamp_or_now(timestamp);
    const std::string signature = signer().sign(id, when, body);
    const std::string when_text = std::to_string(when);
    const auto good = verifier().verify(id, when_text, signature, body, at(when));
    if (!good) {
      chathooks_fuzz::fail("a signature just made does not verify",
                           signature + " / " + good.error().to_string());
    }
    std::string tampered(body);
    tampered.push_back('x');
    const auto bad = verifier().verify(id, when_text, signature, tampered, at(when));
    chathooks_fuzz::require(!bad.ok() && bad.error().code() == chathooks::Errc::signature_mismatch,
                            "a changed body still verifies", signature);
  }

  // The id field as a key: decoded or refused, never a crash; a key that decodes can verify.
  if (auto custom = Verifier::create({std::string(id)})) {
    (void)custom->verify("msg_1", "1700000000", header, body, at(kNow));
  }
  return 0;
}
