// How a receiver decides that a request comes from the platform: an Authenticator. The SDK
// offers Standard Webhooks signatures (v1 HMAC and v1a Ed25519, with rotation and a timestamp
// tolerance), a shared token header, an allow-list of source addresses, any combination of
// these, and an explicit "no authentication" for platforms that offer nothing (none of the
// three platforms' documents describes a signature; a token or an address list is what a host
// can usually arrange). A host can implement its own.
// Thread-safety: authenticators are immutable after creation; authenticate() may be called from
// any number of threads at once (a host's own implementation must be too).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/receiver/request.hpp"
#include "chathooks/signing/verifier.hpp"

namespace chathooks::receiver {

/// Decides whether a received request is authentic. A failure is answered with 401.
class CHATHOOKS_API Authenticator {
 public:
  /// Virtual: authenticators are owned through AuthenticatorPtr.
  virtual ~Authenticator();
  /// Success, or why the request is refused. `now` is the receiver's wall clock
  /// (ReceiverOptions::system_now), for checks that involve time. Error messages go to the
  /// sender in the problem body: they must never contain a secret, a token or a signature.
  virtual Result<void> authenticate(const Request& request,
                                    std::chrono::system_clock::time_point now) const = 0;
  /// Whether success proves who sent the request: false for allow_unauthenticated() and for an
  /// all_of() none of whose members proves it. Sets Delivery::authenticated.
  virtual bool proves_sender() const noexcept { return true; }
};

/// Shared, immutable authenticator.
using AuthenticatorPtr = std::shared_ptr<const Authenticator>;

/// Standard Webhooks: `webhook-id`, `webhook-timestamp` and `webhook-signature` checked over the
/// raw body by `verifier` (signing/verifier.hpp: keys, rotation, tolerance). A missing or
/// repeated header, a stale or future timestamp and a mismatch are each refused with the
/// verifier's error code.
CHATHOOKS_API AuthenticatorPtr standard_webhooks(signing::Verifier verifier);

/// A shared secret token in a header: the request must hold exactly one field named
/// `header_name` whose value equals one of `tokens` (several allow rotation). For a bearer
/// token, name "Authorization" and give the tokens as "Bearer <token>" (compared exactly, scheme
/// included). The received value is compared without the spaces and tabs around it (HTTP does
/// not count them as part of a value), through SHA-256 digests in constant time, so that
/// neither a token's content nor its length shows in the time taken; only the digests are
/// kept, and the texts in `tokens` are wiped before returning. A missing, repeated or wrong
/// field is Errc::unauthenticated, with a message that names the header, never a token.
/// Errc::invalid_argument when the name is not a header token or `tokens` is empty or holds an
/// empty string, one with CR, LF or NUL, or one that begins or ends with a space or tab (it
/// could never match).
CHATHOOKS_API Result<AuthenticatorPtr> shared_token(std::string header_name,
                                                    std::vector<std::string> tokens);

/// Accepts requests whose Request::remote_address lies in one of `ranges`: addresses or CIDR
/// blocks, IPv4 or IPv6 ("203.0.113.7", "203.0.113.0/24", "2001:db8::/32"). An IPv4-mapped IPv6
/// peer ("::ffff:203.0.113.7") matches IPv4 ranges; an IPv6 range matches IPv6 peers only.
/// Host bits beyond the prefix are ignored ("203.0.113.7/24" is 203.0.113.0/24). Addresses are
/// dotted-decimal IPv4 or RFC 4291 IPv6 text as inet_pton reads it: no zone id ("%eth0"),
/// brackets or port, and a prefix is plain decimal within 0 to 32 or 0 to 128. An empty or
/// unparsable remote address, or one outside every range, is refused with
/// Errc::unauthenticated (the message names neither the peer nor the ranges).
/// Errc::invalid_argument for an empty list or a range that does not parse (the message names
/// it). Only meaningful when the host's server sees the platform's own address, not a proxy's.
CHATHOOKS_API Result<AuthenticatorPtr> source_addresses(std::vector<std::string> ranges);

/// Accepts every request. A receiver needs an authenticator; this one says, in the host's
/// code, that it deliberately takes unauthenticated requests.
CHATHOOKS_API AuthenticatorPtr allow_unauthenticated();

/// Accepts a request only when every one of `authenticators` accepts it (e.g. a token and an
/// address list); the first refusal is the result. Errc::invalid_argument for an empty list
/// or a null entry.
CHATHOOKS_API Result<AuthenticatorPtr> all_of(std::vector<AuthenticatorPtr> authenticators);

}  // namespace chathooks::receiver
