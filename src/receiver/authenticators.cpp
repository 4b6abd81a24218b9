// The SDK's authenticators: Standard Webhooks signatures, a shared token header, a source
// address allow-list, "none" and a conjunction. Each is immutable after creation, so
// authenticate() is safe from any number of threads.
#include <openssl/crypto.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chathooks/http/message.hpp"
#include "chathooks/open_enum.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "receiver/address_range.hpp"
#include "signing/sha256.hpp"

namespace chathooks::receiver {

Authenticator::~Authenticator() = default;

namespace {

using Digest = std::array<unsigned char, signing::detail::kSha256Size>;
using signing::detail::sha256;

// RFC 9110 token characters, for header names.
bool is_token_char(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view text) noexcept {
  if (text.empty()) return false;
  for (const char c : text)
    if (!is_token_char(c)) return false;
  return true;
}

bool is_space_or_tab(char c) noexcept { return c == ' ' || c == '\t'; }

// A field value without the optional whitespace around it (RFC 9110 5.5): most servers strip
// it already, this makes the comparison independent of the host's server.
std::string_view trim_ows(std::string_view value) noexcept {
  while (!value.empty() && is_space_or_tab(value.front())) value.remove_prefix(1);
  while (!value.empty() && is_space_or_tab(value.back())) value.remove_suffix(1);
  return value;
}

Error unauthenticated(std::string message) {
  return Error(Errc::unauthenticated, std::move(message));
}

class StandardWebhooksAuthenticator final : public Authenticator {
 public:
  explicit StandardWebhooksAuthenticator(signing::Verifier verifier)
      : verifier_(std::move(verifier)) {}

  Result<void> authenticate(const Request& request,
                            std::chrono::system_clock::time_point now) const override {
    // The list form refuses a missing or repeated webhook-* header (an ambiguous request), and
    // verifies over the raw body as received.
    return verifier_.verify_headers(request.headers, request.body, now);
  }

 private:
  signing::Verifier verifier_;
};

class SharedTokenAuthenticator final : public Authenticator {
 public:
  SharedTokenAuthenticator(std::string header_name, std::vector<Digest> digests)
      : header_name_(std::move(header_name)), digests_(std::move(digests)) {}

  Result<void> authenticate(const Request& request,
                            std::chrono::system_clock::time_point /*now*/) const override {
    std::size_t count = 0;
    std::string_view value;
    for (const auto& [name, field_value] : request.headers) {
      if (!chathooks::detail::ascii_iequal(name, header_name_)) continue;
      ++count;
      value = field_value;
    }
    if (count == 0) return unauthenticated("the " + header_name_ + " header is missing");
    if (count > 1) {
      return unauthenticated("the " + header_name_ + " header is given more than once");
    }
    // Digests of equal length compared with CRYPTO_memcmp: neither the token's content nor its
    // length shows in the time taken, and every token is compared (no early exit on a match).
    const Digest received = sha256(trim_ows(value));
    int matched = 0;
    for (const Digest& digest : digests_)
      matched |= CRYPTO_memcmp(received.data(), digest.data(), digest.size()) == 0 ? 1 : 0;
    if (matched == 0) {
      return unauthenticated("the " + header_name_ + " header does not hold an accepted token");
    }
    return {};
  }

 private:
  std::string header_name_;
  std::vector<Digest> digests_;  // only digests are kept: the tokens themselves are not needed
};

class SourceAddressAuthenticator final : public Authenticator {
 public:
  explicit SourceAddressAuthenticator(std::vector<detail::AddressRange> ranges)
      : ranges_(std::move(ranges)) {}

  Result<void> authenticate(const Request& request,
                            std::chrono::system_clock::time_point /*now*/) const override {
    const auto peer = detail::parse_ip_address(request.remote_address);
    // The peer's text is not echoed: it is the host's, not the sender's, and may be anything.
    if (!peer) return unauthenticated("the sender's address is unknown");
    for (const auto& range : ranges_)
      if (range.contains(*peer)) return {};
    // The allowed ranges are not named: they are the host's configuration.
    return unauthenticated("the sender's address is not allowed");
  }

 private:
  std::vector<detail::AddressRange> ranges_;
};

class AllowUnauthenticated final : public Authenticator {
 public:
  Result<void> authenticate(const Request& /*request*/,
                            std::chrono::system_clock::time_point /*now*/) const override {
    return {};
  }
  bool proves_sender() const noexcept override { return false; }
};

class AllOf final : public Authenticator {
 public:
  explicit AllOf(std::vector<AuthenticatorPtr> members) : members_(std::move(members)) {
    for (const auto& member : members_) proves_sender_ = proves_sender_ || member->proves_sender();
  }

  Result<void> authenticate(const Request& request,
                            std::chrono::system_clock::time_point now) const override {
    for (const auto& member : members_) {
      auto result = member->authenticate(request, now);
      if (!result) return result;
    }
    return {};
  }
  bool proves_sender() const noexcept override { return proves_sender_; }

 private:
  std::vector<AuthenticatorPtr> members_;
  bool proves_sender_ = false;
};

}  // namespace

AuthenticatorPtr standard_webhooks(signing::Verifier verifier) {
  return std::make_shared<StandardWebhooksAuthenticator>(std::move(verifier));
}

Result<AuthenticatorPtr> shared_token(std::string header_name, std::vector<std::string> tokens) {
  // The tokens are wiped on every path out, as Signer does with keys: only digests stay.
  struct Wipe {
    std::vector<std::string>& tokens;
    ~Wipe() {
      for (auto& token : tokens) OPENSSL_cleanse(token.data(), token.size());
    }
  } wipe{tokens};
  if (!is_token(header_name)) {
    return Error(Errc::invalid_argument, "the token header name is not an HTTP field name");
  }
  if (tokens.empty()) return Error(Errc::invalid_argument, "no token given");
  std::vector<Digest> digests;
  digests.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    const std::string position = "token " + std::to_string(i + 1);
    if (token.empty()) return Error(Errc::invalid_argument, position + " is empty");
    if (token.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      return Error(Errc::invalid_argument, position + " holds CR, LF or NUL");
    }
    // A received value is compared without surrounding whitespace, so a token with some could
    // never match.
    if (is_space_or_tab(token.front()) || is_space_or_tab(token.back())) {
      return Error(Errc::invalid_argument, position + " begins or ends with whitespace");
    }
    digests.push_back(sha256(token));
  }
  return AuthenticatorPtr(
      std::make_shared<SharedTokenAuthenticator>(std::move(header_name), std::move(digests)));
}

Result<AuthenticatorPtr> source_addresses(std::vector<std::string> ranges) {
  if (ranges.empty()) return Error(Errc::invalid_argument, "no source address range given");
  std::vector<detail::AddressRange> parsed;
  parsed.reserve(ranges.size());
  for (const auto& text : ranges) {
    auto range = detail::AddressRange::parse(text);
    if (!range) return std::move(range).error();
    parsed.push_back(*range);
  }
  return AuthenticatorPtr(std::make_shared<SourceAddressAuthenticator>(std::move(parsed)));
}

AuthenticatorPtr allow_unauthenticated() { return std::make_shared<AllowUnauthenticated>(); }

Result<AuthenticatorPtr> all_of(std::vector<AuthenticatorPtr> authenticators) {
  if (authenticators.empty()) return Error(Errc::invalid_argument, "no authenticator given");
  for (std::size_t i = 0; i < authenticators.size(); ++i) {
    if (!authenticators[i]) {
      return Error(Errc::invalid_argument, "authenticator " + std::to_string(i + 1) + " is null");
    }
  }
  return AuthenticatorPtr(std::make_shared<AllOf>(std::move(authenticators)));
}

}  // namespace chathooks::receiver
