// Answers for requests that an HTTP server turns away before a Receiver sees them: a body whose
// framing is wrong (conflicting Content-Length, bad chunking), a header or body that did not
// arrive in time, a header too large. They have the same shape as the receiver's own refusals
// (an RFC 9457 problem document), so a sender's logs read the same whichever layer refused.
// The chathooks::beast and chathooks::httplib server adapters use it; so can a host's server.
// Thread-safety: a pure function.
#pragma once

#include <optional>
#include <string_view>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks::receiver {

/// A Reply with `status` (400 to 599; anything else is answered as 400) and an
/// `application/problem+json` body whose `detail` is `detail` and whose `code` is the name of
/// `code`; Reply::disposition is Disposition::rejected and Reply::error holds
/// Error(code, detail). The detail goes to the sender: it must not hold secrets.
/// The codes the adapters use: Errc::protocol (400, 501: the request breaks HTTP/1.1 framing),
/// Errc::timeout (408: a header or body deadline passed), Errc::too_large (431: too many or
/// too large header fields), Errc::payload_too_large (413), Errc::queue_full (503: too many
/// connections).
CHATHOOKS_API Reply edge_refusal(int status, Errc code, std::string_view detail);

/// The receivers' own framing rule (RFC 9112 section 6), for a server that must decide before
/// it reads a body: the refusal for the Content-Length and Transfer-Encoding fields of `head`,
/// or nullopt when the body's length is known. Refused with 400: Content-Length together with
/// Transfer-Encoding, a Content-Length that is not digits or names two lengths,
/// Transfer-Encoding given twice, with an empty element, applying chunked twice or not ending
/// with chunked (the body's end is then unknown); with 501: a coding other than chunked before
/// it (`gzip, chunked`: nothing here decodes it). Receiver::precheck() and handle() apply the
/// same rule, so a host's server may skip it; only `head`'s headers are read.
CHATHOOKS_API std::optional<Reply> framing_refusal(const Request& head);

}  // namespace chathooks::receiver
