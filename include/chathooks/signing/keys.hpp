// Making new Standard Webhooks keys: a random `whsec_` secret for v1 (HMAC-SHA256), and an
// Ed25519 key pair (`whsk_` secret key for the Signer, `whpk_` public key for the Verifier)
// for v1a. Randomness comes from OpenSSL's cryptographic generator.
// Thread-safety: free functions with no shared state; call them from any thread.
#pragma once

#include <cstddef>
#include <string>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"

namespace chathooks::signing {

/// A new v1 secret: "whsec_" and the base64 of `bytes` random bytes (the specification asks
/// for 24 to 64). Errc::invalid_argument when `bytes` is outside 24..64; Errc::internal when
/// the random generator fails.
CHATHOOKS_API Result<std::string> generate_secret(std::size_t bytes = 32);

/// A v1a key pair. Give `secret_key` to the Signer of the sender and `public_key` to the
/// Verifier of the receiver; only the public key may be shared.
struct Ed25519KeyPair {
  /// "whsk_" and the base64 of the 32-byte Ed25519 seed (RFC 8032 private key).
  std::string secret_key;
  /// "whpk_" and the base64 of the 32-byte Ed25519 public key.
  std::string public_key;
};

/// A new random Ed25519 key pair. Errc::internal when OpenSSL cannot make one.
CHATHOOKS_API Result<Ed25519KeyPair> generate_ed25519_keypair();

}  // namespace chathooks::signing
