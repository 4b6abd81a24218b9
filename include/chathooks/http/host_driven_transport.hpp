// The libcurl transport without a thread of its own: the host's event loop (poll(), epoll,
// Boost.Asio, libuv, ...) watches the sockets and the one timer the transport asks for, and
// calls the transport back when they are ready; asynchronous transfers then progress and
// complete on the host's loop thread. Built on curl's multi-socket interface
// (CURLMOPT_SOCKETFUNCTION, CURLMOPT_TIMERFUNCTION, curl_multi_socket_action), kept out of this
// header (pimpl). Same options, secure defaults, destination guard, caps and errors as
// CurlTransport (curl_transport.hpp); synchronous send() is CurlTransport's, on the calling
// thread.
//
// The one rule for callbacks: a send_async() callback runs inside on_socket() or on_timer(),
// on the host's loop thread, never inside send_async() itself. A request refused at once
// (invalid, Errc::queue_full, or the transport drained) is completed at the next on_timer(): the
// transport asks for a zero timer. Only drain(), shutdown() and the destructor run callbacks
// elsewhere: those of the transfers they cancel (and refusals still owed), on their own thread.
//
// Thread-safety: on_socket() and on_timer() must be called from one thread at a time (the
// loop's). send(), send_async(), TransferHandle::cancel(), pending(), drain() and shutdown() may
// be called from any thread, including from inside a callback. Because of that, HostLoop::
// set_timer() may be called from any thread that calls send_async() or cancel() and must be
// thread-safe; HostLoop::watch() is called while the transport drives curl: on the thread
// calling on_socket()/on_timer(), or on the thread of a drain(), shutdown() or destructor that
// cancels transfers (never at the same time as on_socket()/on_timer()).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>

#include "chathooks/export.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/http/transport.hpp"

namespace chathooks::http {

/// What a HostDrivenCurlTransport asks of the host's event loop. Implemented by the host.
///
/// Both methods must return quickly and must not call the transport back (the transport may
/// hold a lock while it calls them); they record what to watch and wake the loop if needed.
class CHATHOOKS_API HostLoop {
 public:
  /// Destroys the loop's adapter.
  virtual ~HostLoop();

  /// Watch socket `fd` for readability (`read`) and/or writability (`write`), replacing what
  /// was asked for it before; with both false, stop watching it (curl may close it right after
  /// this returns). When it is ready, call HostDrivenCurlTransport::on_socket(). Called only
  /// while the transport drives curl (see the header's thread-safety note).
  virtual void watch(int fd, bool read, bool write) = 0;

  /// Arm the loop's one timer to fire once `after` from now (0: as soon as possible, on the
  /// next turn of the loop), replacing any earlier setting; nullopt: cancel it. When it fires,
  /// call HostDrivenCurlTransport::on_timer() once; it is not re-armed unless asked again. May
  /// be called from any thread that uses the transport: must be thread-safe, and must wake a
  /// loop that is blocked waiting.
  virtual void set_timer(std::optional<std::chrono::milliseconds> after) = 0;

 protected:
  /// For derived classes only.
  HostLoop() = default;
  /// For derived classes only.
  HostLoop(const HostLoop&) = default;
  /// For derived classes only.
  HostLoop& operator=(const HostLoop&) = default;
};

/// The libcurl transport driven by the host's event loop; see the header comment for the
/// callback and threading rules.
///
/// Limits and refusals are those of CurlTransportOptions (max_queued, connection limits,
/// timeouts, caps); transfers progress only while the host calls on_socket() and on_timer().
///
/// Destruction cancels what is queued or in flight: each pending callback (and each refusal
/// not yet reported) runs exactly once, with Errc::cancelled (a refusal with its own error),
/// on the destroying thread before the destructor returns; it stops watching every socket and
/// cancels the timer. If the last reference is released inside a callback, the transport is
/// destroyed when the on_socket()/on_timer() that ran it returns.
class CHATHOOKS_API HostDrivenCurlTransport final : public HttpTransport {
  struct Key;

 public:
  /// A transport that asks `loop` to watch its sockets and timer. The transport keeps `loop`
  /// alive. Starts no thread; does not fail: if libcurl cannot be initialised, every request
  /// ends with Errc::internal.
  static std::shared_ptr<HostDrivenCurlTransport> create(std::shared_ptr<HostLoop> loop,
                                                         CurlTransportOptions options = {});
  /// For create() only (the key is private).
  HostDrivenCurlTransport(const Key& key, std::shared_ptr<HostLoop> loop,
                          CurlTransportOptions options);
  /// Cancels what is pending; see the class comment.
  ~HostDrivenCurlTransport() override;
  /// Not copyable: share it through the std::shared_ptr create() returns.
  HostDrivenCurlTransport(const HostDrivenCurlTransport&) = delete;
  /// Not copyable: share it through the std::shared_ptr create() returns.
  HostDrivenCurlTransport& operator=(const HostDrivenCurlTransport&) = delete;

  /// Sends on the calling thread, blocking it (as CurlTransport::send does); needs no loop.
  Result<HttpResponse> send(const HttpRequest& request) override;

  /// Queues the transfer for the loop and asks for a zero timer; the callback runs later inside
  /// on_socket()/on_timer() (see the header comment), never before this returns. The handle
  /// cancels the transfer (queued or in flight) at the loop's next turn.
  TransferHandle send_async(HttpRequest request, HttpCallback callback) override;

  /// See HttpTransport::drain. From now on send_async() refuses (reported at the next
  /// on_timer()); waits, while the host keeps driving the loop, until every accepted transfer's
  /// callback has returned or `deadline` passes; then cancels the rest on the calling thread,
  /// once any on_socket()/on_timer() running has returned. Returns how many it cancelled.
  ///
  /// It cannot wait on the loop's own thread (the thread that last called on_socket() or
  /// on_timer()) nor inside an SDK callback: there it cancels at once. Called from a
  /// send_async() callback inside on_socket()/on_timer(), the transfers still pending are
  /// cancelled right after that callback returns (one that completes first is reported with
  /// its own outcome), and it returns how many others were pending.
  std::size_t drain(std::chrono::steady_clock::time_point deadline) override;

  /// Call when `fd` (one that HostLoop::watch asked for) is readable, writable or in error.
  /// Runs the callbacks of the transfers this completes. Loop thread only.
  void on_socket(int fd, bool readable, bool writable, bool error);

  /// Call when the timer HostLoop::set_timer armed fires. Starts queued transfers, applies
  /// cancellations, reports refusals, handles curl's timeouts and runs the callbacks of the
  /// transfers this completes. Loop thread only.
  void on_timer();

  /// How many asynchronous transfers are accepted (or refused) and their callback has not run
  /// yet: a host loop with nothing else to do may stop when it reaches 0.
  std::size_t pending() const;

  /// The options this transport was built with.
  const CurlTransportOptions& options() const noexcept;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace chathooks::http
