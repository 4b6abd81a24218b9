// The two curl transports as Catch2 template parameters, so that one test body runs against
// both: ThreadedKind (CurlTransport, its own worker thread) and HostDrivenKind
// (HostDrivenCurlTransport driven by a PollLoop thread of the test). Each owns one transport
// built with the given options; reset() destroys it on the calling thread, release() hands the
// fixture's reference over (for tests that drop the last one inside a callback).
// Thread-safety: a fixture belongs to the test's thread; its transport is as thread-safe as its
// kind documents.
#pragma once

#include <chathooks/http/curl_transport.hpp>
#include <chathooks/http/host_driven_transport.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <utility>

#include "poll_loop.hpp"
#include "test_server.hpp"

namespace chathooks_test {

/// CurlTransport: callbacks on its worker thread; refusals run on the calling thread.
class ThreadedKind {
 public:
  /// Refusals (invalid request, queue full, after drain) run before send_async() returns.
  static constexpr bool refuses_inline = true;

  explicit ThreadedKind(chathooks::http::CurlTransportOptions options = dev_options())
      : transport_(std::make_shared<chathooks::http::CurlTransport>(std::move(options))) {}

  chathooks::http::CurlTransport& operator*() const { return *transport_; }
  chathooks::http::CurlTransport* operator->() const { return transport_.get(); }
  /// Destroys the transport now, on the calling thread.
  void reset() { transport_.reset(); }
  /// The fixture's reference, given up.
  std::shared_ptr<chathooks::http::HttpTransport> release() { return std::move(transport_); }

 private:
  std::shared_ptr<chathooks::http::CurlTransport> transport_;
};

/// HostDrivenCurlTransport on a PollLoop thread: callbacks on the loop's thread; refusals are
/// reported there too, never inside send_async().
class HostDrivenKind {
 public:
  /// Refusals run at the loop's next turn, not inside send_async().
  static constexpr bool refuses_inline = false;

  explicit HostDrivenKind(chathooks::http::CurlTransportOptions options = dev_options())
      : loop_(std::make_shared<PollLoop>()),
        transport_(chathooks::http::HostDrivenCurlTransport::create(loop_, std::move(options))) {
    loop_->start(transport_);
  }
  ~HostDrivenKind() {
    reset();
    loop_->stop();
  }
  HostDrivenKind(const HostDrivenKind&) = delete;
  HostDrivenKind& operator=(const HostDrivenKind&) = delete;

  chathooks::http::HostDrivenCurlTransport& operator*() const { return *transport_; }
  chathooks::http::HostDrivenCurlTransport* operator->() const { return transport_.get(); }
  /// Stops the loop calling the transport, then destroys it on the calling thread.
  void reset() {
    loop_->detach();
    transport_.reset();
  }
  /// The fixture's reference, given up; the loop keeps driving the transport while it lives.
  std::shared_ptr<chathooks::http::HttpTransport> release() { return std::move(transport_); }

 private:
  std::shared_ptr<PollLoop> loop_;
  std::shared_ptr<chathooks::http::HostDrivenCurlTransport> transport_;
};

/// `callback`, counting in `on_caller` the calls made on the thread that wraps it (refusals
/// run there for ThreadedKind, never for HostDrivenKind).
inline chathooks::http::HttpCallback counting_caller(chathooks::http::HttpCallback callback,
                                                     std::atomic<int>& on_caller) {
  return [caller = std::this_thread::get_id(), callback = std::move(callback),
          &on_caller](chathooks::Result<chathooks::http::HttpResponse> result) {
    if (std::this_thread::get_id() == caller) ++on_caller;
    callback(std::move(result));
  };
}

}  // namespace chathooks_test
