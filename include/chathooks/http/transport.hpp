// The seam between chathooks and HTTP: an abstract transport with a synchronous send and an
// asynchronous send. The SDK's clients only talk to this interface; the default implementation
// is CurlTransport (curl_transport.hpp), a host plugs its own client in by deriving from
// HttpTransport and implementing send(), and tests use FakeTransport (fake_transport.hpp).
//
// Errors: a transport failure (DNS, refused, timeout, TLS, too large, blocked destination,
// invalid request, cancelled, protocol, queue full) is an Error with the matching Errc; any
// HTTP status, 4xx and 5xx included, is a successful HttpResponse.
//
// Thread-safety: implementations must be safe to share between threads (the SDK calls send()
// and send_async() concurrently, and drain() or shutdown() may come from any thread while
// transfers run); TransferHandle is safe to copy and use from any thread.
//
// Shutting down: drain(deadline) lets the asynchronous transfers finish until the deadline and
// cancels the rest, each callback run exactly once; shutdown() cancels at once. What the
// destructor does with pending transfers is the implementation's to say (CurlTransport cancels
// them, callbacks run, like shutdown()).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/message.hpp"

namespace chathooks::http {

/// Receives the outcome of an asynchronous send, exactly once.
using HttpCallback = std::function<void(Result<HttpResponse>)>;

/// Lets the caller cancel one asynchronous transfer. A default-constructed handle (or one
/// returned for a transfer that cannot be cancelled) does nothing. Copies refer to the same
/// transfer. cancel() may be called from any thread, any number of times, before or after the
/// transfer completed; the callback still runs exactly once: with Errc::cancelled if the
/// cancellation won the race, with the transfer's own outcome otherwise.
class CHATHOOKS_API TransferHandle {
 public:
  /// A handle that cancels nothing.
  TransferHandle() = default;
  /// A handle whose cancel() calls `cancel` (for transports that implement cancellation).
  explicit TransferHandle(std::function<void()> cancel);

  /// Asks the transport to cancel the transfer. Never blocks on the network.
  void cancel() const;
  /// Whether this handle can cancel anything.
  explicit operator bool() const noexcept { return static_cast<bool>(cancel_); }

 private:
  std::shared_ptr<const std::function<void()>> cancel_;
};

/// An HTTP client the SDK can use. Implement send() (and optionally send_async()).
class CHATHOOKS_API HttpTransport {
 public:
  /// Destroys the transport. Implementations that run transfers in the background decide what
  /// happens to pending ones (CurlTransport cancels them).
  virtual ~HttpTransport();

  /// Sends one request and waits for the whole response, or an Error. Must not throw for
  /// network failures.
  virtual Result<HttpResponse> send(const HttpRequest& request) = 0;

  /// Starts one request and calls `callback` exactly once with its outcome.
  ///
  /// The default implementation calls send() on the calling thread and runs the callback there,
  /// before send_async() returns; its handle cannot cancel. Implementations with real
  /// asynchrony override this and document their callback thread (CurlTransport: its worker
  /// thread). Callbacks should not throw; an implementation may drop what they throw.
  virtual TransferHandle send_async(HttpRequest request, HttpCallback callback);

  /// Ends every asynchronous transfer started through this transport: refuses new ones from
  /// now on (send_async() then completes them with Errc::cancelled, as its implementation
  /// documents for refusals), waits until every pending transfer's callback has returned or
  /// `deadline` passes, then cancels what remains, each callback run with Errc::cancelled
  /// before drain returns. Returns how many transfers it cancelled. Synchronous send() is not
  /// affected. Implementations with real asynchrony override it and document the exceptions
  /// (a call from their own callback thread cannot wait for it).
  ///
  /// The default does nothing and returns 0: the default send_async() has ended before it
  /// returns, so nothing is ever pending.
  virtual std::size_t drain(std::chrono::steady_clock::time_point deadline);

  /// drain() with a deadline already past: refuses new transfers and cancels the pending ones
  /// at once. Returns how many it cancelled.
  std::size_t shutdown();

 protected:
  /// For derived classes only: an HttpTransport is used through a pointer.
  HttpTransport() = default;
  /// For derived classes that choose to be copyable; protected so that the interface itself
  /// cannot be copied (sliced) through a base reference.
  HttpTransport(const HttpTransport&) = default;
  /// See the copy constructor: available to derived classes only.
  HttpTransport& operator=(const HttpTransport&) = default;
};

}  // namespace chathooks::http
