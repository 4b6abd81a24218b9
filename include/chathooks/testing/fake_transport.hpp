// A test double for code that uses an HttpTransport: it records every request and answers with
// scripted responses or errors, in order, or from a handler function. It never touches the
// network. Use it in your own tests of code built on chathooks.
// Thread-safety: every member function is thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"
#include "chathooks/http/transport.hpp"

/// Test doubles for hosts' own tests of code built on chathooks: never used by the library.
namespace chathooks::testing {

/// Records requests; answers from the script first, then from the handler. With neither, a
/// request gets Errc::invalid_argument ("no scripted answer left"), so a test notices an
/// unexpected request. send_async() is the base class default: it answers on the calling
/// thread before returning.
class CHATHOOKS_API FakeTransport final : public http::HttpTransport {
 public:
  /// Computes an answer from the request.
  using Handler = std::function<Result<http::HttpResponse>(const http::HttpRequest&)>;

  /// An empty script and no handler: every request gets Errc::invalid_argument until answers
  /// are pushed.
  FakeTransport() = default;
  /// A fake that answers every request with `handler` (after any scripted answers).
  explicit FakeTransport(Handler handler);

  /// Appends a response to the script.
  void push_response(http::HttpResponse response);
  /// Convenience: appends a response with this status and body and no headers.
  void push_response(int status, std::string body = {});
  /// Appends a transport error to the script.
  void push_error(Error error);
  /// Replaces the handler used once the script is exhausted.
  void set_handler(Handler handler);

  /// Records the request, then answers it (the handler runs without the fake's lock held).
  Result<http::HttpResponse> send(const http::HttpRequest& request) override;

  /// A copy of every request received so far, in order.
  std::vector<http::HttpRequest> requests() const;
  /// How many requests were received.
  std::size_t request_count() const;
  /// How many scripted answers are left.
  std::size_t scripted_left() const;
  /// Forgets the recorded requests (the script and handler stay).
  void clear_requests();

 private:
  mutable std::mutex mutex_;
  std::vector<http::HttpRequest> requests_;
  std::deque<Result<http::HttpResponse>> script_;
  Handler handler_;
};

}  // namespace chathooks::testing
