// HttplibTransport: chathooks' HttpTransport on top of cpp-httplib's client, standing for "the
// HTTP client a host application already has". It is the pattern to copy when plugging any
// client into the SDK: check the request, translate it, map the client's failures to Errc
// values, cap the response body, and honour send_async()'s contract (callback exactly once,
// TransferHandle::cancel() never blocking). The SDK itself does not need it: its default
// transport is http::make_curl_transport().
//
// The choices, and what they cost:
// - One new connection per request (a fresh httplib client each time): simple and safe from
//   any thread, since one httplib client runs one request at a time; no connection reuse.
// - send_async() runs each transfer on a thread of its own, at most max_in_flight at once
//   (beyond: Errc::queue_full, on the calling thread). The callback runs on that thread, or on
//   the thread whose cancel() won, or on the calling thread when the request is refused, or on
//   the destroying thread for transfers still pending at destruction.
// - cancel() completes the transfer at once with Errc::cancelled. Stopping the network work is
//   best effort: a body being read stops at its next chunk, but a connect or a wait for the
//   status line runs on in the background until its timeout (httplib cannot interrupt those
//   from another thread without racing), and its result is dropped.
// - Timeouts: connect_timeout for the connection, then the request's timeout (or `timeout`) for
//   each read and write, and as a deadline checked while the body arrives. httplib has no total
//   timeout, so a server trickling its status line and headers can hold a request past it.
// - Errors: httplib reports a failed connection without saying why, so DNS failures and
//   refused connections are both Errc::connection_failed (retried by the SDK like dns and
//   connection_refused); a connect timeout or a read or write that waited `timeout` is
//   Errc::timeout; a read or write failure (reset, closed, not HTTP) is connection_failed; TLS
//   failures are Errc::tls; a body over max_response_bytes is Errc::response_too_large.
// - Redirects are not followed (a 3xx is returned). Unlike CurlTransport there is no destination
//   guard: a host that sends to URLs its users typed must refuse private addresses itself.
// - Response header fields come in httplib's order (sorted by name), not the order received.
//
// Thread-safety: thread-safe: send() and send_async() may be called from any number of threads
// at once, including from a callback. The destructor completes pending transfers with
// Errc::cancelled, then waits for their threads, which may take up to their timeouts.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/http/message.hpp"
#include "chathooks/http/transport.hpp"

namespace chathooks_examples {

/// Settings of an HttplibTransport, fixed at construction.
struct HttplibTransportOptions {
  /// Time allowed to connect (capped by the request's timeout).
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  /// A request's timeout when HttpRequest::timeout is 0 (see the header comment). Positive.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  /// Largest response body accepted; a larger one ends the transfer with
  /// Errc::response_too_large, having held no more than this.
  std::size_t max_response_bytes = 1024 * 1024;
  /// Most asynchronous transfers (threads) at once; 0 counts as 1.
  std::size_t max_in_flight = 64;
  /// The User-Agent sent unless a request sets its own.
  std::string user_agent = "chathooks-example (cpp-httplib)";
};

/// An HttpTransport over cpp-httplib. Share one through std::shared_ptr.
class HttplibTransport final : public chathooks::http::HttpTransport {
 public:
  explicit HttplibTransport(HttplibTransportOptions options = {});
  ~HttplibTransport() override;
  HttplibTransport(const HttplibTransport&) = delete;
  HttplibTransport& operator=(const HttplibTransport&) = delete;

  /// Sends on the calling thread; see HttpTransport::send.
  chathooks::Result<chathooks::http::HttpResponse> send(
      const chathooks::http::HttpRequest& request) override;
  /// Sends on a new thread; see the header comment for the callback's thread and cancel().
  chathooks::http::TransferHandle send_async(chathooks::http::HttpRequest request,
                                             chathooks::http::HttpCallback callback) override;

 private:
  struct Transfer;
  const HttplibTransportOptions options_;
  std::mutex mutex_;
  std::vector<std::shared_ptr<Transfer>> transfers_;  // started and not yet joined
  bool closing_ = false;                              // set by the destructor
};

}  // namespace chathooks_examples
