// Standard Webhooks signing (standardwebhooks.com): the `webhook-signature` header value for a
// message id, a timestamp and the raw body. Symmetric `v1` (HMAC-SHA256 with `whsec_` secrets
// or bare base64) and asymmetric `v1a` (Ed25519 with `whsk_` secret keys). Several keys
// (rotation) give several space-separated signatures.
// Thread-safety: a Signer is immutable after create(); sign() may be called from any number of
// threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"

/// Standard Webhooks (standardwebhooks.com) signatures: Signer for the sending side, Verifier for
/// the receiving side, and the generation of new keys and message ids.
namespace chathooks::signing {

/// The Standard Webhooks message id header: the same id on every retry of one message. Names
/// are lower case here; HTTP header names are case-insensitive.
inline constexpr std::string_view kIdHeader = "webhook-id";
/// The Standard Webhooks timestamp header: Unix seconds of the attempt, as decimal digits.
inline constexpr std::string_view kTimestampHeader = "webhook-timestamp";
/// The Standard Webhooks signature header: space-separated `v1,<base64>` / `v1a,<base64>`.
inline constexpr std::string_view kSignatureHeader = "webhook-signature";

/// Computes `webhook-signature` values. Make one with create() and share it.
class CHATHOOKS_API Signer {
 public:
  /// A signer for one or more keys: `whsec_<base64>` or bare base64 (v1, HMAC-SHA256; at least
  /// 16 bytes once decoded), or `whsk_<base64>` (v1a, an Ed25519 private key: the 32-byte
  /// RFC 8032 seed, or 64 bytes of seed then public key as libsodium writes it, whose public
  /// half must match the seed). Base64 is strict: standard alphabet, '=' padding, no whitespace.
  /// Errc::invalid_secret when `keys` is empty or a key cannot be decoded, is empty or is a v1
  /// secret under 16 bytes (a `whpk_` public key cannot sign either); the message names the
  /// key's position ("key 2"), never its text. Errc::internal when OpenSSL cannot sign with the
  /// key's algorithm (checked here with a trial signature, so that sign() does not fail later).
  /// The texts in `keys` are wiped before returning.
  static Result<Signer> create(std::vector<std::string> keys);

  /// The `webhook-signature` value: one `v1,<base64>` or `v1a,<base64>` per key, in the
  /// order given, separated by spaces, over "<id>.<timestamp>.<body>" with the body's bytes
  /// exactly as they will be sent. `timestamp` is Unix seconds and should not be negative
  /// (receivers accept digits only). Throws std::runtime_error only if OpenSSL fails on a key
  /// that create() has already signed with (memory exhaustion).
  std::string sign(std::string_view id, std::int64_t timestamp, std::string_view body) const;

  /// Cheap: the copy shares the same immutable keys.
  Signer(const Signer&);
  /// Takes the keys over; the moved-from Signer may only be assigned to or destroyed.
  Signer(Signer&&) noexcept;
  /// Cheap: this Signer then shares the assigned one's immutable keys.
  Signer& operator=(const Signer&);
  /// Takes the keys over; the moved-from Signer may only be assigned to or destroyed.
  Signer& operator=(Signer&&) noexcept;
  /// Releases this reference to the keys (the last one frees them).
  ~Signer();

 private:
  struct Impl;
  explicit Signer(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
};

/// A new message id: "msg_" and 26 random lower-case Crockford base32 characters
/// (0-9, a-z without i, l, o, u: 130 bits from OpenSSL's RAND_bytes). Use one id per message
/// and keep it on every retry, so that the receiver can drop duplicates. Throws
/// std::runtime_error only when the cryptographic random generator fails.
CHATHOOKS_API std::string new_message_id();

}  // namespace chathooks::signing
