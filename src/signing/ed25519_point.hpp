// Checking an Ed25519 public key before the Verifier trusts it: the 32 bytes must be the
// canonical encoding of a point on the curve (RFC 8032 section 5.1.3) whose order is not small.
// Why: OpenSSL loads any 32 bytes as a public key and its verification does not refuse keys of
// small order. The eight points of order 1, 2, 4 or 8 (all-zero bytes is one) let a forger sign
// without a secret: with such a key a signature of R = identity and S = 0 verifies for a good
// share of all messages. A key that is not a point, or that names one point in a second,
// non-canonical way, can only be a mistake or an attack, so it is refused as well.
// Thread-safety: a pure function with no shared state; call it from any thread.
#pragma once

#include <string_view>

namespace chathooks::signing::detail {

/// What an Ed25519 public key encoding is.
enum class Ed25519PointCheck {
  ok,             ///< a canonical encoding of a point whose order is not small
  wrong_size,     ///< not 32 bytes
  non_canonical,  ///< y >= p, or x = 0 with the sign bit set: a second encoding of a point
  not_on_curve,   ///< no x satisfies the curve equation for this y
  small_order,    ///< a point P with [8]P = identity: one of the eight torsion points
  internal,       ///< OpenSSL could not allocate its numbers
};

/// Decodes `encoded` (the 32 raw bytes of a public key, little-endian y with x's sign in the
/// top bit) and classifies it. Constant time is not needed: a public key is public.
Ed25519PointCheck check_ed25519_public_point(std::string_view encoded);

}  // namespace chathooks::signing::detail
