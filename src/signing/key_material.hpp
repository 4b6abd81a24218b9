// Keys of the Standard Webhooks schemes, decoded from their text forms into OpenSSL keys, and
// the three cryptographic operations over the signed content "<id>.<timestamp>.<body>":
// HMAC-SHA256 (v1), Ed25519 signing and Ed25519 verification (v1a).
// Key texts: `whsec_<base64>` or bare base64 (v1 secret), `whsk_<base64>` (Ed25519 seed of 32
// bytes, or 64 bytes of seed then public key as libsodium and some implementations write it),
// `whpk_<base64 of 32 bytes>` (Ed25519 public key). A v1 secret must decode to at least 16
// bytes, and a `whpk_` key must be a canonical point of the curve not of small order
// (ed25519_point.hpp). Errors name the key's position, never its text, and decoded secret
// bytes are wiped once the OpenSSL key holds them.
// Thread-safety: the keys are immutable once made and may be used from several threads at once.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/error.hpp"
#include "signing/openssl_handles.hpp"

namespace chathooks::signing::detail {

/// The signature schemes: symmetric HMAC-SHA256 and asymmetric Ed25519.
enum class Scheme { v1, v1a };

inline constexpr std::size_t kHmacSize = 32;
/// The fewest bytes a v1 secret may decode to: shorter ones are refused when loaded.
inline constexpr std::size_t kMinSecretSize = 16;
inline constexpr std::size_t kEd25519KeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;

inline constexpr std::string_view kSecretPrefix = "whsec_";
inline constexpr std::string_view kEd25519SecretPrefix = "whsk_";
inline constexpr std::string_view kEd25519PublicPrefix = "whpk_";

/// One decoded key. For v1 `hmac` is an HMAC-SHA256 context keyed once (its inner and outer
/// pads already hashed) that each use copies, never modifies; for v1a `pkey` is an Ed25519
/// private key (signing) or public key (verifying).
struct Key {
  Scheme scheme = Scheme::v1;
  PkeyPtr pkey;
  MacCtxPtr hmac;
};

/// A key the Signer can sign with: a v1 secret or a `whsk_` key. `index` (0-based) is only
/// used to name the key in errors.
Result<Key> parse_signing_key(std::string_view text, std::size_t index);

/// A key the Verifier can check with: a v1 secret, a `whpk_` key, or a `whsk_` key reduced to
/// its public half.
Result<Key> parse_verifying_key(std::string_view text, std::size_t index);

/// The pieces of the signed content, kept apart so that the body is never copied for v1.
struct SignedContent {
  std::string_view id;
  std::string_view timestamp;
  std::string_view body;
};

/// HMAC-SHA256 of the content with a v1 key; nullopt only when OpenSSL fails.
std::optional<std::array<unsigned char, kHmacSize>> hmac_sha256(const Key& key,
                                                                const SignedContent& content);

/// The Ed25519 signature of the content with a v1a private key; nullopt when OpenSSL fails.
std::optional<std::array<unsigned char, kEd25519SignatureSize>> ed25519_sign(
    const Key& key, const SignedContent& content);

/// "<id>.<timestamp>.<body>" in one string: Ed25519 (pure, RFC 8032) needs the whole message.
std::string joined_content(const SignedContent& content);

/// Whether `signature` (64 bytes) is a valid Ed25519 signature of `message` (joined_content)
/// for a v1a public key.
bool ed25519_verify(const Key& key, std::string_view message, std::string_view signature);

/// The Ed25519 public key of a private key, raw (32 bytes); nullopt when OpenSSL fails.
std::optional<std::string> ed25519_raw_public(const Key& key);

/// Overwrites `bytes` with zeros in a way the optimiser keeps (OPENSSL_cleanse).
void wipe(std::string& bytes) noexcept;

/// Parses every key text with `parse` (parse_signing_key or parse_verifying_key), stopping at
/// the first failure, and wipes the texts whatever happens: they may hold secrets.
Result<std::vector<Key>> parse_keys(std::vector<std::string>& texts,
                                    Result<Key> (*parse)(std::string_view, std::size_t));

}  // namespace chathooks::signing::detail
