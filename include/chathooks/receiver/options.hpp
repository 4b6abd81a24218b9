// What every protocol receiver (made by flw::make_receiver, boticario::make_receiver and
// cliengo::make_receiver) is configured with: how requests are authenticated, how they are
// deduplicated, and the limits on what is read.
// Thread-safety: a plain value; the receiver copies it at creation.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

#include "chathooks/json.hpp"
#include "chathooks/receiver/authenticator.hpp"
#include "chathooks/receiver/idempotency_store.hpp"
#include "chathooks/receiver/observer.hpp"

namespace chathooks::receiver {

/// ParseOptions{} with DecodeMode::tolerant: the receivers' default.
inline ParseOptions tolerant_parse_options() {
  ParseOptions options;
  options.mode = DecodeMode::tolerant;
  return options;
}

/// A receiver's configuration. Only `authenticator` must be set.
struct ReceiverOptions {
  /// Decides whether a request is authentic (authenticator.hpp). Required: a receiver without
  /// one is Errc::invalid_argument; write allow_unauthenticated() to accept anything.
  AuthenticatorPtr authenticator;

  /// Whether duplicates are recognised (see the protocol receiver's header for the key).
  bool deduplicate = true;
  /// Where deliveries are remembered; when null and `deduplicate` is on, the receiver makes
  /// its own MemoryIdempotencyStore with default limits. Share one store among receivers of
  /// different protocols freely: keys carry the protocol's name.
  std::shared_ptr<IdempotencyStore> idempotency_store;
  /// How long a delivery is remembered. The default, 10 minutes, is twice the Standard Webhooks
  /// timestamp tolerance: a replay is either recognised as a duplicate or refused as stale.
  /// Must be positive (else Errc::invalid_argument at creation).
  std::chrono::seconds dedupe_window{600};
  /// How long a claim holds while its handler runs. If the receiver handling a delivery dies
  /// (a crash, SIGKILL, a lost machine), another receiver sharing the store may take the key
  /// after this; until then the sender's retries get 409 with Retry-After. A handler that runs
  /// longer than this may see a retry handled at the same time elsewhere (at-least-once). Must
  /// be positive (else Errc::invalid_argument at creation); one longer than dedupe_window is cut
  /// to it.
  std::chrono::seconds claim_timeout{60};

  /// The largest body accepted (HTTP 413 beyond it), checked against Content-Length before the
  /// body is read (precheck()) and against the body itself. Default 1 MiB; at least 1.
  std::size_t max_body_bytes = 1u << 20;
  /// Whether a request without Content-Type is refused (415). Off by default because the
  /// Boticario document's own example request sends none; a Content-Type that is present must
  /// be JSON (`application/json` or `application/<x>+json`, charset UTF-8 if given) either way.
  bool require_content_type = false;
  /// Limits on decoding the body (depth, duplicate keys, BOM); its max_bytes is lowered to
  /// max_body_bytes when larger. Tolerant by default (DecodeMode): a platform's payload with
  /// one off-format member is handled, that member kept as it came and named in
  /// Delivery::warnings and Reply::warnings, rather than refused (a 400 is retried, then the
  /// event is dropped by the platform).
  ParseOptions parse_options = tolerant_parse_options();

  /// Wall clock: the "now" given to the authenticator (signature timestamps). Default, when
  /// empty: std::chrono::system_clock::now. Tests inject their own. Called from the threads
  /// that call handle(), so it must be thread-safe.
  std::function<std::chrono::system_clock::time_point()> system_now;

  /// Sees every request answered, live (observer.hpp); null: none. Use observe_all() for
  /// several (e.g. metrics and the host's own).
  std::shared_ptr<ReceiverObserver> observer;
};

}  // namespace chathooks::receiver
