// New v1 secrets and v1a Ed25519 key pairs in their Standard Webhooks text forms.
#include "chathooks/signing/keys.hpp"

#include "signing/base64.hpp"
#include "signing/key_material.hpp"
#include "signing/random.hpp"

namespace chathooks::signing {

Result<std::string> generate_secret(std::size_t bytes) {
  if (bytes < 24 || bytes > 64) {
    return Error(Errc::invalid_argument, "a secret must have 24 to 64 bytes");
  }
  auto raw = detail::random_bytes(bytes);
  if (!raw) return Error(Errc::internal, "the cryptographic random generator failed");
  std::string secret = std::string(detail::kSecretPrefix) + detail::base64_encode(*raw);
  detail::wipe(*raw);
  return secret;
}

Result<Ed25519KeyPair> generate_ed25519_keypair() {
  // The seed comes from RAND_bytes and the key from it, exactly as a whsk_ text is read back.
  auto seed = detail::random_bytes(detail::kEd25519KeySize);
  if (!seed) return Error(Errc::internal, "the cryptographic random generator failed");
  Ed25519KeyPair pair;
  pair.secret_key = std::string(detail::kEd25519SecretPrefix) + detail::base64_encode(*seed);
  detail::wipe(*seed);
  auto key = detail::parse_signing_key(pair.secret_key, 0);
  if (!key) {
    detail::wipe(pair.secret_key);
    return Error(Errc::internal, "OpenSSL cannot make an Ed25519 key");
  }
  const auto raw_public = detail::ed25519_raw_public(*key);
  if (!raw_public) {
    detail::wipe(pair.secret_key);
    return Error(Errc::internal, "OpenSSL cannot derive an Ed25519 public key");
  }
  pair.public_key = std::string(detail::kEd25519PublicPrefix) + detail::base64_encode(*raw_public);
  return pair;
}

}  // namespace chathooks::signing
