// A webhook receiver, framework-agnostic: the host's HTTP server hands it each raw request and
// writes back the Reply it gets. Made per protocol by flw::make_receiver,
// boticario::make_receiver and cliengo::make_receiver, which say how their payload is decoded,
// deduplicated and answered.
//
// handle() runs these steps in order; the first that fails is the answer:
//   1. method: POST only (405, with `Allow: POST`);
//   2. framing and size: the body's framing as RFC 9112 section 6 defines it, checked before
//      anything else is read (400 with Errc::protocol: Content-Length and Transfer-Encoding
//      together; a Content-Length that is not digits, or whose values differ; Transfer-Encoding
//      repeated, with an empty element, applying chunked twice or not ending with chunked, since
//      the body's length then cannot be known; 501 for a transfer coding before chunked, e.g.
//      `gzip, chunked`: understood, but not implemented), then Content-Length and the body
//      against max_body_bytes (413);
//   3. content type: JSON when present, and present when required (415);
//   4. authenticity: the options' Authenticator over the raw body (401);
//   5. payload: decoded into the protocol's types (400, the problem body names the JSON Pointer);
//   6. deduplication: the key is claimed in the idempotency store, with the SHA-256 digest of
//      the raw body when the key is the request's webhook-id (a key the payload gives, for
//      requests without one, is claimed without a digest: never a conflict). A key already handled
//      with the same body is answered with the stored answer without calling the handler
//      (Disposition::duplicate); a key being handled right now is 409 with Retry-After: 1
//      (Errc::in_progress); a key seen before with another body is 409 without Retry-After
//      (Errc::idempotency_conflict, Disposition::conflict); a store that fails is 503 with
//      Retry-After: 5;
//   7. the handler: its answer (200) or its Refusal (its status); if it throws, 500 with a
//      fixed text (Reply::error holds the exception's text, for the host's logs only). The 200 is
//      returned only after the handler returned its answer and the store was told; a refused
//      or failed delivery is forgotten by the store so that the sender's retry is handled.
//
// Thread-safety: a Receiver is immutable after creation; copies share one state (and store),
// and handle()/precheck() may be called from any number of threads at once. The host's handler
// is then called concurrently too, so it must be thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "chathooks/export.hpp"
#include "chathooks/receiver/request.hpp"

/// Receiving webhooks inside any HTTP server: the framework-agnostic Receiver, its options, the
/// authenticators that decide whether a request is genuine and the idempotency store that
/// recognises duplicates. The protocols' make_receiver functions build on it.
namespace chathooks::receiver {

namespace detail {
struct ReceiverCore;    // the shared state: options, decoder, handler
struct ReceiverAccess;  // the library's only way to make a Receiver
}  // namespace detail

/// How many requests a receiver (all its copies together) answered, by Disposition, since it
/// was made.
struct ReceiverCounts {
  std::uint64_t handled = 0;       ///< Disposition::handled
  std::uint64_t duplicate = 0;     ///< Disposition::duplicate
  std::uint64_t conflict = 0;      ///< Disposition::conflict (a reused key with another body)
  std::uint64_t refused = 0;       ///< Disposition::refused
  std::uint64_t rejected = 0;      ///< Disposition::rejected
  std::uint64_t failed = 0;        ///< Disposition::failed
  std::uint64_t store_errors = 0;  ///< replies that carried a Reply::store_error
};

/// Receives one protocol's webhooks.
class CHATHOOKS_API Receiver {
 public:
  /// Runs every step above on a complete request. Never throws (except std::bad_alloc).
  Reply handle(const Request& request) const;

  /// For servers that stream bodies: steps 1 to 3 on the method and headers alone (the
  /// framing, 413 from Content-Length), run before the body is read. A Reply means "send it, do
  /// not read the body, close the connection"; nullopt means the framing is sound (at most one
  /// Content-Length value, or Transfer-Encoding exactly `chunked`, never both) and "read at
  /// most max_body_bytes() + 1 bytes, then call handle()" (which answers 413 if the body went
  /// past the cap), or incomplete_body() if the body did not arrive whole. The request's body
  /// is ignored.
  std::optional<Reply> precheck(const Request& head) const;

  /// For servers that stream bodies: the answer when precheck() let a request through but its
  /// body did not arrive whole and correctly framed (the connection closed or the read timed
  /// out before the Content-Length bytes or the last chunk came, or a chunk was malformed).
  /// 400 with Errc::protocol, or 408 with Errc::timeout when `timed_out`; `detail`, which says
  /// what was wrong, is the problem document's detail and the error's message. Counted as
  /// rejected. The host must not call handle() with that body, and must close the connection.
  Reply incomplete_body(std::string detail, bool timed_out = false) const;

  /// The body cap in force.
  std::size_t max_body_bytes() const noexcept;

  /// The requests handle() and precheck() answered so far, by disposition (a precheck that
  /// lets the request through counts nothing). Each count is exact; the set is not one atomic
  /// snapshot while requests are running.
  ReceiverCounts counts() const noexcept;

 private:
  // Made only by the protocols' make_receiver functions, through detail::ReceiverAccess.
  friend struct detail::ReceiverAccess;
  explicit Receiver(std::shared_ptr<const detail::ReceiverCore> core) noexcept;
  Reply handle_uncounted(const Request& request) const;

  std::shared_ptr<const detail::ReceiverCore> core_;
};

}  // namespace chathooks::receiver
