// Decoding Standard Webhooks key texts into OpenSSL keys, and HMAC-SHA256 and Ed25519 over the
// signed content.
#include "signing/key_material.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/params.h>

#include <string>

#include "signing/base64.hpp"
#include "signing/ed25519_point.hpp"

namespace chathooks::signing::detail {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "key 2" (1-based, as a person counts): never the key's text.
std::string key_name(std::size_t index) { return "key " + std::to_string(index + 1); }

Error key_error(std::size_t index, std::string_view what) {
  return Error(Errc::invalid_secret, key_name(index) + ": " + std::string(what));
}

const unsigned char* bytes_of(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

// Decodes the base64 after a prefix; the decoded bytes are the caller's to wipe.
Result<std::string> decode_key_text(std::string_view encoded, std::size_t index) {
  auto bytes = base64_decode(encoded);
  if (!bytes) return key_error(index, "not valid base64 (standard alphabet with '=' padding)");
  if (bytes->empty()) return key_error(index, "empty");
  return std::move(*bytes);
}

// OpenSSL's HMAC, fetched once per process: fetching by name on every signature costs more than
// the HMAC of a typical body (a lock and a table walk in OpenSSL 3's method store).
EVP_MAC* hmac_algorithm() {
  static EVP_MAC* const algorithm = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return algorithm;
}

Result<Key> hmac_key(std::string_view encoded, std::size_t index) {
  auto secret = decode_key_text(encoded, index);
  if (!secret) return std::move(secret).error();
  if (secret->size() < kMinSecretSize) {
    const std::size_t size = secret->size();
    wipe(*secret);
    return key_error(index, "a v1 secret must have at least " + std::to_string(kMinSecretSize) +
                                " bytes once base64-decoded (this one has " + std::to_string(size) +
                                ")");
  }
  MacCtxPtr ctx(hmac_algorithm() != nullptr ? EVP_MAC_CTX_new(hmac_algorithm()) : nullptr);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
  const bool ok = ctx && EVP_MAC_init(ctx.get(), bytes_of(*secret), secret->size(), params) == 1;
  wipe(*secret);
  if (!ok) {
    ERR_clear_error();
    return Error(Errc::internal, key_name(index) + ": OpenSSL cannot make an HMAC key");
  }
  Key key;
  key.scheme = Scheme::v1;
  key.hmac = std::move(ctx);
  return key;
}

Result<Key> ed25519_private_key(std::string_view encoded, std::size_t index) {
  auto raw = decode_key_text(encoded, index);
  if (!raw) return std::move(raw).error();
  if (raw->size() != kEd25519KeySize && raw->size() != 2 * kEd25519KeySize) {
    wipe(*raw);
    return key_error(index, "an Ed25519 secret key must be 32 bytes (or 64: seed then public key)");
  }
  PkeyPtr pkey(
      EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, bytes_of(*raw), kEd25519KeySize));
  if (!pkey) {
    wipe(*raw);
    ERR_clear_error();
    return key_error(index, "not a valid Ed25519 secret key");
  }
  Key key{Scheme::v1a, std::move(pkey), nullptr};
  if (raw->size() == 2 * kEd25519KeySize) {
    // The 64-byte form repeats the public key: it must be the one the seed gives, else the
    // text is corrupt and signatures would not verify with the key the user publishes.
    const auto derived = ed25519_raw_public(key);
    const bool matches =
        derived && derived->size() == kEd25519KeySize &&
        CRYPTO_memcmp(derived->data(), raw->data() + kEd25519KeySize, kEd25519KeySize) == 0;
    if (!matches) {
      wipe(*raw);
      return key_error(index, "the public half of the 64-byte Ed25519 key does not match its seed");
    }
  }
  wipe(*raw);
  return key;
}

Result<Key> ed25519_public_key(std::string_view encoded, std::size_t index) {
  auto raw = decode_key_text(encoded, index);
  if (!raw) return std::move(raw).error();
  if (raw->size() != kEd25519KeySize)
    return key_error(index, "an Ed25519 public key must be 32 bytes");
  // OpenSSL takes any 32 bytes; a key of small order would accept forged signatures.
  switch (check_ed25519_public_point(*raw)) {
    case Ed25519PointCheck::ok:
      break;
    case Ed25519PointCheck::wrong_size:
      return key_error(index, "an Ed25519 public key must be 32 bytes");
    case Ed25519PointCheck::non_canonical:
      return key_error(index, "not a canonical Ed25519 public key encoding");
    case Ed25519PointCheck::not_on_curve:
      return key_error(index, "not a valid Ed25519 public key: not a point of the curve");
    case Ed25519PointCheck::small_order:
      return key_error(index,
                       "not a usable Ed25519 public key: a point of small order, which would "
                       "accept forged signatures");
    case Ed25519PointCheck::internal:
      return Error(Errc::internal, key_name(index) + ": OpenSSL cannot check the public key");
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes_of(*raw), raw->size()));
  if (!pkey) {
    ERR_clear_error();
    return key_error(index, "not a valid Ed25519 public key");
  }
  return Key{Scheme::v1a, std::move(pkey), nullptr};
}

}  // namespace

void wipe(std::string& bytes) noexcept {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

Result<Key> parse_signing_key(std::string_view text, std::size_t index) {
  if (text.empty()) return key_error(index, "empty");
  if (starts_with(text, kEd25519SecretPrefix)) {
    return ed25519_private_key(text.substr(kEd25519SecretPrefix.size()), index);
  }
  if (starts_with(text, kEd25519PublicPrefix)) {
    return key_error(index, "a whpk_ public key can verify but not sign; sign with the whsk_ key");
  }
  if (starts_with(text, kSecretPrefix)) return hmac_key(text.substr(kSecretPrefix.size()), index);
  return hmac_key(text, index);
}

Result<Key> parse_verifying_key(std::string_view text, std::size_t index) {
  if (text.empty()) return key_error(index, "empty");
  if (starts_with(text, kEd25519PublicPrefix)) {
    return ed25519_public_key(text.substr(kEd25519PublicPrefix.size()), index);
  }
  if (starts_with(text, kEd25519SecretPrefix)) {
    auto secret = ed25519_private_key(text.substr(kEd25519SecretPrefix.size()), index);
    if (!secret) return std::move(secret).error();
    auto raw_public = ed25519_raw_public(*secret);
    if (!raw_public)
      return Error(Errc::internal, key_name(index) + ": OpenSSL cannot derive the public key");
    PkeyPtr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes_of(*raw_public),
                                             raw_public->size()));
    if (!pkey) {
      ERR_clear_error();
      return Error(Errc::internal, key_name(index) + ": OpenSSL cannot make the public key");
    }
    return Key{Scheme::v1a, std::move(pkey), nullptr};
  }
  if (starts_with(text, kSecretPrefix)) return hmac_key(text.substr(kSecretPrefix.size()), index);
  return hmac_key(text, index);
}

std::optional<std::array<unsigned char, kHmacSize>> hmac_sha256(const Key& key,
                                                                const SignedContent& content) {
  // A copy of the keyed context: the key's own is shared by every thread and only read.
  // EVP_MAC_CTX_dup takes its source const and HMAC's copy only reads it, which openssl-threads(7)
  // states is safe from several threads at once. Copying also skips rehashing the key's pads.
  MacCtxPtr ctx(key.hmac ? EVP_MAC_CTX_dup(key.hmac.get()) : nullptr);
  if (!ctx) {
    ERR_clear_error();
    return std::nullopt;
  }
  std::array<unsigned char, kHmacSize> mac{};
  std::size_t mac_size = 0;
  // Fed piece by piece: the body, possibly large, is never copied.
  const std::string_view pieces[] = {content.id, ".", content.timestamp, ".", content.body};
  bool ok = true;
  for (const std::string_view piece : pieces) {
    if (!ok) break;
    if (!piece.empty()) ok = EVP_MAC_update(ctx.get(), bytes_of(piece), piece.size()) == 1;
  }
  ok = ok && EVP_MAC_final(ctx.get(), mac.data(), &mac_size, mac.size()) == 1 &&
       mac_size == mac.size();
  if (!ok) {
    ERR_clear_error();
    return std::nullopt;
  }
  return mac;
}

std::string joined_content(const SignedContent& content) {
  std::string message;
  message.reserve(content.id.size() + content.timestamp.size() + content.body.size() + 2);
  message.append(content.id).append(".").append(content.timestamp).append(".").append(content.body);
  return message;
}

std::optional<std::array<unsigned char, kEd25519SignatureSize>> ed25519_sign(
    const Key& key, const SignedContent& content) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return std::nullopt;
  const std::string message = joined_content(content);
  std::array<unsigned char, kEd25519SignatureSize> signature{};
  std::size_t size = signature.size();
  const bool ok =
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.pkey.get()) == 1 &&
      EVP_DigestSign(ctx.get(), signature.data(), &size, bytes_of(message), message.size()) == 1 &&
      size == signature.size();
  if (!ok) {
    ERR_clear_error();
    return std::nullopt;
  }
  return signature;
}

bool ed25519_verify(const Key& key, std::string_view message, std::string_view signature) {
  if (signature.size() != kEd25519SignatureSize) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  const bool ok = EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.pkey.get()) == 1 &&
                  EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(),
                                   bytes_of(message), message.size()) == 1;
  // A bad signature may leave entries in this thread's OpenSSL error queue: not the host's
  // business.
  if (!ok) ERR_clear_error();
  return ok;
}

std::optional<std::string> ed25519_raw_public(const Key& key) {
  std::string raw(kEd25519KeySize, '\0');
  std::size_t size = raw.size();
  if (EVP_PKEY_get_raw_public_key(key.pkey.get(), reinterpret_cast<unsigned char*>(raw.data()),
                                  &size) != 1 ||
      size != kEd25519KeySize) {
    ERR_clear_error();
    return std::nullopt;
  }
  return raw;
}

Result<std::vector<Key>> parse_keys(std::vector<std::string>& texts,
                                    Result<Key> (*parse)(std::string_view, std::size_t)) {
  std::vector<Key> keys;
  keys.reserve(texts.size());
  std::optional<Error> failure;
  for (std::size_t i = 0; i < texts.size() && !failure; ++i) {
    auto key = parse(texts[i], i);
    if (key) {
      keys.push_back(std::move(key).value());
    } else {
      failure = std::move(key).error();
    }
  }
  for (std::string& text : texts) wipe(text);
  if (failure) return std::move(*failure);
  return keys;
}

}  // namespace chathooks::signing::detail
