// Standard Webhooks signing: one `v1,<base64>` or `v1a,<base64>` entry per key.
#include "chathooks/signing/signer.hpp"

#include <stdexcept>
#include <utility>

#include "signing/base64.hpp"
#include "signing/key_material.hpp"

namespace chathooks::signing {

using detail::Key;
using detail::Scheme;
using detail::SignedContent;

struct Signer::Impl {
  std::vector<Key> keys;
};

namespace {

// The entry for one key, or nullopt when OpenSSL fails (allocation failure or a provider that
// refuses the algorithm).
std::optional<std::string> sign_entry(const Key& key, const SignedContent& content) {
  if (key.scheme == Scheme::v1) {
    const auto mac = detail::hmac_sha256(key, content);
    if (!mac) return std::nullopt;
    return "v1," + detail::base64_encode(
                       std::string_view(reinterpret_cast<const char*>(mac->data()), mac->size()));
  }
  const auto signature = detail::ed25519_sign(key, content);
  if (!signature) return std::nullopt;
  return "v1a," + detail::base64_encode(std::string_view(
                      reinterpret_cast<const char*>(signature->data()), signature->size()));
}

}  // namespace

Result<Signer> Signer::create(std::vector<std::string> keys) {
  if (keys.empty()) return Error(Errc::invalid_secret, "no signing key given");
  auto impl = std::make_shared<Impl>();
  // The texts were moved in: parse_keys wipes them rather than leave secrets in freed memory.
  auto parsed = detail::parse_keys(keys, &detail::parse_signing_key);
  if (!parsed) return std::move(parsed).error();
  impl->keys = std::move(parsed).value();
  // One trial signature per key, so that an OpenSSL that cannot sign (a provider configuration
  // without HMAC or Ed25519) is an error value here rather than an exception in sign().
  const SignedContent probe{"msg_probe", "0", ""};
  for (std::size_t i = 0; i < impl->keys.size(); ++i) {
    if (!sign_entry(impl->keys[i], probe)) {
      return Error(Errc::internal,
                   "key " + std::to_string(i + 1) + ": OpenSSL cannot sign with this key type");
    }
  }
  return Signer(std::shared_ptr<const Impl>(std::move(impl)));
}

std::string Signer::sign(std::string_view id, std::int64_t timestamp, std::string_view body) const {
  const std::string timestamp_text = std::to_string(timestamp);
  const SignedContent content{id, timestamp_text, body};
  std::string header;
  for (const Key& key : impl_->keys) {
    auto entry = sign_entry(key, content);
    if (!entry) throw std::runtime_error("chathooks: OpenSSL failed to compute a signature");
    if (!header.empty()) header += ' ';
    header += *entry;
  }
  return header;
}

Signer::Signer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Signer::Signer(const Signer&) = default;
Signer::Signer(Signer&&) noexcept = default;
Signer& Signer::operator=(const Signer&) = default;
Signer& Signer::operator=(Signer&&) noexcept = default;
Signer::~Signer() = default;

}  // namespace chathooks::signing
