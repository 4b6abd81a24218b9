// Standard Webhooks verification: header checks, timestamp tolerance, then any signature
// against any key.
#include "chathooks/signing/verifier.hpp"

#include <openssl/crypto.h>

#include <chrono>
#include <cstdint>
#include <utility>

#include "chathooks/open_enum.hpp"
#include "chathooks/signing/signer.hpp"
#include "signing/key_material.hpp"
#include "signing/signature_header.hpp"

namespace chathooks::signing {

using detail::Key;
using detail::Scheme;
using detail::SignedContent;

struct Verifier::Impl {
  std::vector<Key> keys;
  std::int64_t tolerance_seconds = 300;
};

namespace {

// Whole Unix seconds, rounded down (a signed timestamp has no fraction).
std::int64_t unix_seconds(std::chrono::system_clock::time_point now) {
  return static_cast<std::int64_t>(
      std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count());
}

Error header_error(std::string message) {
  return Error(Errc::invalid_signature_header, std::move(message));
}

// |now - timestamp| > tolerance, without overflow for any pair of 64-bit values.
Result<void> check_tolerance(std::int64_t timestamp, std::int64_t now, std::int64_t tolerance) {
  const bool future = timestamp > now;
  // The difference of two int64 values always fits in a uint64 when taken larger minus smaller.
  const std::uint64_t distance =
      future ? static_cast<std::uint64_t>(timestamp) - static_cast<std::uint64_t>(now)
             : static_cast<std::uint64_t>(now) - static_cast<std::uint64_t>(timestamp);
  if (distance <= static_cast<std::uint64_t>(tolerance)) return {};
  return Error(Errc::timestamp_out_of_range, "the timestamp is " + std::to_string(distance) +
                                                 " s in the " + (future ? "future" : "past") +
                                                 "; the tolerance is " + std::to_string(tolerance) +
                                                 " s");
}

}  // namespace

Result<Verifier> Verifier::create(std::vector<std::string> keys, VerifierOptions options) {
  if (keys.empty()) return Error(Errc::invalid_secret, "no verification key given");
  if (options.tolerance.count() < 0) {
    return Error(Errc::invalid_argument, "the timestamp tolerance must not be negative");
  }
  auto impl = std::make_shared<Impl>();
  impl->tolerance_seconds = static_cast<std::int64_t>(options.tolerance.count());
  auto parsed = detail::parse_keys(keys, &detail::parse_verifying_key);
  if (!parsed) return std::move(parsed).error();
  impl->keys = std::move(parsed).value();
  return Verifier(std::shared_ptr<const Impl>(std::move(impl)));
}

Result<void> Verifier::verify(std::string_view id, std::string_view timestamp,
                              std::string_view signature_header, std::string_view raw_body,
                              std::chrono::system_clock::time_point now) const {
  if (id.empty()) return header_error("the webhook-id is empty");
  const auto signed_at = detail::parse_timestamp(timestamp);
  if (!signed_at) {
    return header_error("the webhook-timestamp must be 1 to 19 ASCII digits (Unix seconds)");
  }
  const auto signatures = detail::parse_signature_header(signature_header, kMaxSignatureEntries);
  if (signatures.total > kMaxSignatureEntries) {
    return header_error("the webhook-signature holds more than " +
                        std::to_string(kMaxSignatureEntries) + " signatures");
  }
  if (signatures.usable.empty()) {
    return header_error(signatures.total == 0
                            ? "the webhook-signature is empty"
                            : "the webhook-signature holds no v1 or v1a signature that decodes");
  }
  if (auto in_time = check_tolerance(*signed_at, unix_seconds(now), impl_->tolerance_seconds);
      !in_time) {
    return in_time;
  }

  const SignedContent content{id, timestamp, raw_body};
  bool has_v1 = false;
  bool has_v1a = false;
  for (const auto& entry : signatures.usable) {
    (entry.scheme == Scheme::v1 ? has_v1 : has_v1a) = true;
  }
  std::string message;  // joined once, only when a v1a signature is to be checked
  for (const Key& key : impl_->keys) {
    if (key.scheme == Scheme::v1 && has_v1) {
      const auto expected = detail::hmac_sha256(key, content);
      if (!expected) return Error(Errc::internal, "OpenSSL failed to compute an HMAC");
      for (const auto& entry : signatures.usable) {
        // Constant time: how much of a forged MAC is right must not show in the timing.
        if (entry.scheme == Scheme::v1 &&
            CRYPTO_memcmp(expected->data(), entry.bytes.data(), expected->size()) == 0) {
          return {};
        }
      }
    } else if (key.scheme == Scheme::v1a && has_v1a) {
      if (message.empty()) message = detail::joined_content(content);
      for (const auto& entry : signatures.usable) {
        if (entry.scheme == Scheme::v1a && detail::ed25519_verify(key, message, entry.bytes)) {
          return {};
        }
      }
    }
  }
  return Error(Errc::signature_mismatch, "no signature matches any of the configured keys");
}

Result<void> Verifier::verify(std::string_view id, std::string_view timestamp,
                              std::string_view signature_header, std::string_view raw_body) const {
  return verify(id, timestamp, signature_header, raw_body, std::chrono::system_clock::now());
}

Result<void> Verifier::verify_headers(const HeaderLookup& lookup, std::string_view raw_body,
                                      std::chrono::system_clock::time_point now) const {
  if (!lookup) return Error(Errc::invalid_argument, "no header lookup function given");
  const auto id = lookup(kIdHeader);
  if (!id) return header_error("the webhook-id header is missing");
  const auto timestamp = lookup(kTimestampHeader);
  if (!timestamp) return header_error("the webhook-timestamp header is missing");
  const auto signature = lookup(kSignatureHeader);
  if (!signature) return header_error("the webhook-signature header is missing");
  return verify(*id, *timestamp, *signature, raw_body, now);
}

Result<void> Verifier::verify_headers(const HeaderLookup& lookup, std::string_view raw_body) const {
  return verify_headers(lookup, raw_body, std::chrono::system_clock::now());
}

Result<void> Verifier::verify_headers(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view raw_body,
    std::chrono::system_clock::time_point now) const {
  const std::string_view names[] = {kIdHeader, kTimestampHeader, kSignatureHeader};
  const std::string* values[] = {nullptr, nullptr, nullptr};
  for (const auto& [name, value] : headers) {
    for (std::size_t i = 0; i < 3; ++i) {
      if (!chathooks::detail::ascii_iequal(name, names[i])) continue;
      if (values[i] != nullptr) {
        return header_error("the " + std::string(names[i]) + " header is given more than once");
      }
      values[i] = &value;
    }
  }
  for (std::size_t i = 0; i < 3; ++i) {
    if (values[i] == nullptr) {
      return header_error("the " + std::string(names[i]) + " header is missing");
    }
  }
  return verify(*values[0], *values[1], *values[2], raw_body, now);
}

Verifier::Verifier(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Verifier::Verifier(const Verifier&) = default;
Verifier::Verifier(Verifier&&) noexcept = default;
Verifier& Verifier::operator=(const Verifier&) = default;
Verifier& Verifier::operator=(Verifier&&) noexcept = default;
Verifier::~Verifier() = default;

}  // namespace chathooks::signing
