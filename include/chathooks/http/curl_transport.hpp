// The default HTTP transport, built on libcurl (kept out of this header: pimpl).
//
// Synchronous send() runs on the calling thread using a pool of curl easy handles, so many
// threads share one transport and each idle connection is reused by the next request to the
// same origin. send_async() hands transfers to ONE worker thread driving the curl multi
// interface, with many transfers in flight at once; that thread starts on the first
// send_async() call, so a transport used only synchronously never starts a thread.
//
// Secure defaults: TLS verification on, redirects not followed, only http and https, proxies
// from the environment ignored, header injection impossible (HttpHeaders refuses CR/LF/NUL),
// response bodies capped, every transfer timed out, and a destination guard that refuses
// loopback, private, link-local, multicast and other special-purpose addresses. The guard checks
// the address curl is about to connect to (after DNS resolution), so DNS rebinding cannot get
// around it.
//
// Thread-safety: CurlTransport is thread-safe: send(), send_async(), drain() and shutdown() may
// be called from any number of threads at once, including from inside a send_async() callback
// (drain() then cannot wait; see CurlTransport::drain).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "chathooks/export.hpp"
#include "chathooks/http/transport.hpp"
#include "chathooks/version.hpp"

namespace chathooks::http {

/// Settings of a CurlTransport, fixed at construction.
struct CurlTransportOptions {
  /// Time allowed to establish a connection (TCP and TLS). 0 means curl's default (300 s).
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  /// Total time allowed for a request, including the wait for a free connection slot; a
  /// request's own HttpRequest::timeout overrides it. 0 disables it (not recommended).
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  /// Low-speed cut: a transfer averaging fewer than `low_speed_limit_bytes` bytes per second
  /// for `low_speed_time` is aborted with Errc::timeout, so a trickling server cannot hold it.
  /// The time a server spends before answering counts too. 0 disables the cut.
  std::size_t low_speed_limit_bytes = 1024;
  /// See low_speed_limit_bytes. Whole seconds (curl's resolution); 0 disables the cut.
  std::chrono::seconds low_speed_time{15};
  /// Largest response body accepted; a larger one aborts the transfer with
  /// Errc::response_too_large and never takes more memory than this.
  std::size_t max_response_bytes = 1024 * 1024;
  /// Largest total size of response header fields; beyond it: Errc::response_too_large.
  std::size_t max_header_bytes = 64 * 1024;
  /// Most connections open at once to one host (scheme, host and port). Enforced separately
  /// by the synchronous and the asynchronous paths. 0 is treated as 1.
  std::size_t max_connections_per_host = 16;
  /// Most connections open at once in total, per path (synchronous and asynchronous), idle
  /// ones included. 0 is treated as 1. A synchronous send that finds no free slot waits for
  /// one, within its timeout.
  std::size_t max_connections_total = 64;
  /// Most asynchronous transfers accepted and not yet completed (queued or in flight). Beyond
  /// it send_async() does not block: it completes the transfer at once, on the calling thread,
  /// with Errc::queue_full. 0 is treated as 1.
  std::size_t max_queued = 10000;
  /// Follow 3xx redirects (at most 5, http and https only, each hop checked by the destination
  /// guard). Off: a 3xx is returned as the response.
  bool follow_redirects = false;
  /// Verify the server's certificate chain and host name. Turn off only for development.
  bool verify_tls = true;
  /// A PEM file of CA certificates to trust instead of the system's; empty: system default.
  std::string ca_file;
  /// A directory of hashed CA certificates (c_rehash form); empty: system default.
  std::string ca_path;
  /// Proxy URL, e.g. "http://proxy.example:3128"; empty: no proxy (environment variables such
  /// as http_proxy are ignored). Through a proxy the proxy resolves host names, so the guard can
  /// only refuse URLs whose host is a literal address or "localhost".
  std::string proxy;
  /// Turns the destination guard off: allows loopback, private (RFC 1918, CGNAT, IPv6 ULA),
  /// link-local, multicast and other special-purpose addresses. For development and tests.
  bool allow_private_addresses = false;
  /// The User-Agent sent unless a request sets its own.
  std::string user_agent = std::string("chathooks/") + CHATHOOKS_VERSION_STRING;
};

/// The libcurl transport. Construct one per process (or per set of options) and share it.
///
/// Callbacks of send_async() run on the transport's worker thread, one at a time, except when
/// the request is refused before starting (invalid request, Errc::queue_full, or the transport
/// being destroyed): then the callback runs on the calling thread before send_async() returns.
/// A callback should be quick, since it holds up every other transfer; it may call send_async()
/// again. Exceptions thrown by a callback are caught and dropped.
///
/// Destruction cancels what is queued or in flight: each pending callback runs exactly once,
/// with Errc::cancelled, before the destructor returns; a send_async() that such a callback
/// makes is refused the same way, on its calling thread. It never waits for the network. If the
/// last reference is released from inside a callback, the worker finishes the shutdown on its
/// own after that callback returns.
///
/// drain() and shutdown() end the asynchronous path the same way, on demand: callbacks of the
/// transfers they cancel run on the worker thread, all before drain() returns; afterwards
/// send_async() refuses every transfer with Errc::cancelled (on its calling thread) while
/// send() keeps working.
class CHATHOOKS_API CurlTransport final : public HttpTransport {
 public:
  /// A transport with `options`. Initialises libcurl once per process (safely, even from
  /// several threads) and starts no thread. It does not fail: if libcurl cannot be initialised,
  /// every request ends with Errc::internal.
  explicit CurlTransport(CurlTransportOptions options = {});
  /// Cancels what is pending; see the class comment.
  ~CurlTransport() override;
  /// Not copyable: share one through std::shared_ptr (make_curl_transport()).
  CurlTransport(const CurlTransport&) = delete;
  /// Not copyable: share one through std::shared_ptr (make_curl_transport()).
  CurlTransport& operator=(const CurlTransport&) = delete;

  /// Sends on the calling thread; see HttpTransport::send.
  Result<HttpResponse> send(const HttpRequest& request) override;
  /// Queues the transfer for the worker thread; see the class comment for the callback thread.
  /// The handle cancels the transfer (queued or in flight).
  TransferHandle send_async(HttpRequest request, HttpCallback callback) override;

  /// See HttpTransport::drain. From now on send_async() refuses; waits until every accepted
  /// transfer's callback has returned or `deadline` passes; then cancels the rest on the worker
  /// thread and waits for the worker to end (which never waits for the network), so every
  /// callback has run when it returns. Returns how many transfers it cancelled.
  ///
  /// Called from inside an SDK callback it does not wait for the deadline (the thread may be
  /// one the pending work needs) and cancels at once. Called from a send_async() callback, on
  /// the worker thread itself, it cannot wait for the worker either: the worker cancels the
  /// remaining transfers right after that callback returns (one that completes first is
  /// reported with its own outcome), and drain returns how many others were pending.
  std::size_t drain(std::chrono::steady_clock::time_point deadline) override;

  /// The options this transport was built with.
  const CurlTransportOptions& options() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A shared CurlTransport, the usual way to build one.
CHATHOOKS_API std::shared_ptr<HttpTransport> make_curl_transport(CurlTransportOptions options = {});

}  // namespace chathooks::http
