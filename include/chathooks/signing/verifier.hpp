// Standard Webhooks verification (standardwebhooks.com): checks the `webhook-id`,
// `webhook-timestamp` and `webhook-signature` header values of a received request against its
// raw body. Accepts several keys (secret rotation: any key may match), `v1` (HMAC-SHA256) and
// `v1a` (Ed25519) signatures, and a timestamp tolerance in both directions (replay protection).
// Thread-safety: a Verifier is immutable after create(); verify() may be called from any number
// of threads at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"

namespace chathooks::signing {

/// How a Verifier judges a timestamp.
struct VerifierOptions {
  /// The largest accepted distance between the signed timestamp and "now", in the past or in
  /// the future; a distance of exactly `tolerance` is accepted. Must not be negative.
  std::chrono::seconds tolerance{300};
};

/// Checks Standard Webhooks signatures.
///
/// What verify() checks, in this order (the first failure is the result):
/// 1. The id is not empty, else Errc::invalid_signature_header.
/// 2. The timestamp is 1 to 19 ASCII digits and fits in a signed 64-bit integer: no sign, no
///    spaces, no exponent, else Errc::invalid_signature_header.
/// 3. The signature header holds at least one usable entry, else
///    Errc::invalid_signature_header. Entries are separated by spaces (tabs too); each is
///    `v1,<base64 of 32 bytes>` or `v1a,<base64 of 64 bytes>` in strict base64 (standard
///    alphabet, padding). Entries of other versions (`v2,...`) and malformed entries are
///    ignored, as the specification asks, so a header with only those is
///    invalid_signature_header. More than kMaxSignatureEntries entries is
///    invalid_signature_header too (it bounds the work an attacker can ask for).
/// 4. |now - timestamp| <= tolerance, else Errc::timestamp_out_of_range.
/// 5. One usable entry matches one key: a v1 entry against each v1 secret (HMAC-SHA256 over
///    "<id>.<timestamp>.<body>", compared in constant time with CRYPTO_memcmp), a v1a entry
///    against each Ed25519 public key. Else Errc::signature_mismatch.
///
/// The signed content is built from the header values exactly as received and from the raw
/// body bytes: never re-encode the body before verifying. Error messages describe the problem
/// and never contain a key, a secret or a signature.
class CHATHOOKS_API Verifier {
 public:
  /// The most signature entries one header may hold.
  static constexpr std::size_t kMaxSignatureEntries = 32;

  /// Looks a header up by name for verify_headers(): the value of the field named `name`
  /// (which verify_headers passes in lower case, e.g. "webhook-id"), compared
  /// case-insensitively as HTTP requires, or nullopt when the request has no such field.
  using HeaderLookup = std::function<std::optional<std::string>(std::string_view name)>;

  /// A verifier accepting a signature made with any of `keys`:
  /// - `whsec_<base64>` or bare base64: a v1 (HMAC-SHA256) secret of at least 16 bytes;
  /// - `whpk_<base64 of 32 bytes>`: a v1a Ed25519 public key, the canonical encoding of a point
  ///   of the curve that is not of small order (one of those would accept forged signatures);
  /// - `whsk_<base64>`: a v1a Ed25519 secret key (as Signer takes it), of which only the public
  ///   half is kept.
  /// Errc::invalid_secret when `keys` is empty or a key cannot be decoded or breaks these
  /// rules (the message names the key's position, never its text); Errc::invalid_argument for
  /// a negative tolerance.
  static Result<Verifier> create(std::vector<std::string> keys, VerifierOptions options = {});

  /// Verifies the three header values and the raw body at the time `now` (compared with the
  /// signed timestamp in whole seconds, rounded down). Passing "now" explicitly keeps
  /// verification deterministic in tests and lets a host verify with its own clock.
  Result<void> verify(std::string_view id, std::string_view timestamp,
                      std::string_view signature_header, std::string_view raw_body,
                      std::chrono::system_clock::time_point now) const;

  /// As above, at the system clock's current time.
  Result<void> verify(std::string_view id, std::string_view timestamp,
                      std::string_view signature_header, std::string_view raw_body) const;

  /// Reads `webhook-id`, `webhook-timestamp` and `webhook-signature` through `lookup` and
  /// verifies them. A missing header is Errc::invalid_signature_header.
  Result<void> verify_headers(const HeaderLookup& lookup, std::string_view raw_body,
                              std::chrono::system_clock::time_point now) const;

  /// As above, at the system clock's current time.
  Result<void> verify_headers(const HeaderLookup& lookup, std::string_view raw_body) const;

  /// Reads the three headers from a list of (name, value) fields, matching names in any case
  /// ("Webhook-Id", "WEBHOOK-ID"). One of the three missing or given more than once (an
  /// ambiguous request) is Errc::invalid_signature_header.
  Result<void> verify_headers(const std::vector<std::pair<std::string, std::string>>& headers,
                              std::string_view raw_body,
                              std::chrono::system_clock::time_point now) const;

  /// Cheap: the copy shares the same immutable keys and options.
  Verifier(const Verifier&);
  /// Takes the keys over; the moved-from Verifier may only be assigned to or destroyed.
  Verifier(Verifier&&) noexcept;
  /// Cheap: this Verifier then shares the assigned one's immutable keys and options.
  Verifier& operator=(const Verifier&);
  /// Takes the keys over; the moved-from Verifier may only be assigned to or destroyed.
  Verifier& operator=(Verifier&&) noexcept;
  /// Releases this reference to the keys (the last one frees them).
  ~Verifier();

 private:
  struct Impl;
  explicit Verifier(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

}  // namespace chathooks::signing
