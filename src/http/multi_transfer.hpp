// What the two asynchronous paths of the curl transport share (the threaded one, AsyncWorker,
// and the host-driven one, HostDrivenCurlTransport): one transfer on a curl multi handle (its
// request, callback, response state and easy handle), the multi handle with the transport's
// connection limits, starting a transfer on it, collecting the finished ones, and running a
// callback the way both document (inside a CallbackScope, exceptions dropped).
// Internal. Thread-safety: a MultiTransfer and a multi handle are used by one thread at a time;
// the free functions keep no state.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/http/transport.hpp"
#include "http/curl_request.hpp"

namespace chathooks::http::detail {

/// One asynchronous transfer: owned by its path from acceptance until its callback runs.
struct MultiTransfer {
  /// Accepted now: its total timeout (the wait for a connection slot included) runs from here.
  MultiTransfer(HttpRequest r, HttpCallback c, const CurlTransportOptions& options);
  /// Frees the easy handle, which must be out of the multi handle by now.
  ~MultiTransfer();
  MultiTransfer(const MultiTransfer&) = delete;
  MultiTransfer& operator=(const MultiTransfer&) = delete;

  std::uint64_t id = 0;
  HttpRequest request;
  HttpCallback callback;
  TransferContext context;
  CURL* easy = nullptr;
  /// The time by which its total timeout, counted from acceptance, ends (none: no timeout);
  /// see time_left(). Host-driven path only: the request's origin (scheme, host and port) and
  /// whether it counts against the total window.
  std::string origin;
  std::optional<std::chrono::steady_clock::time_point> deadline;
  bool in_total_window = false;
};

/// The transfers on a multi handle, by id.
using ActiveTransfers = std::unordered_map<std::uint64_t, std::unique_ptr<MultiTransfer>>;

/// Errc::cancelled, for transfers ended by cancel(), drain(), shutdown() or destruction.
Error cancelled_error();

/// Errc::timeout, for a transfer whose total timeout passed before curl ended it (while it
/// waited for a connection slot: libcurl 7.88 does not time out its pending transfers).
Error waited_too_long_error();

/// What is left of `transfer`'s total timeout, for add_to_multi() (nullopt: it has none);
/// zero or less once it has passed (then complete it with waited_too_long_error()).
std::optional<std::chrono::milliseconds> time_left(const MultiTransfer& transfer);

/// Errc::queue_full, for a send_async() beyond max_queued.
Error queue_full_error(const CurlTransportOptions& options);

/// Why send_async() must refuse `request` before queueing it (invalid request; no multi handle,
/// i.e. libcurl unusable), or nothing. With `origin`, stores the request's origin there.
std::optional<Error> check_async_request(const HttpRequest& request,
                                         const CurlTransportOptions& options, bool have_multi,
                                         std::string* origin = nullptr);

/// A multi handle with the transport's connection limits (per host, total, idle cache) and
/// HTTP/2 multiplexing; nullptr if libcurl cannot make one.
CURLM* make_multi(const CurlTransportOptions& options);

/// Makes and configures the easy handle of `transfer` and adds it to `multi`, with `timeout`
/// as its total timeout (default: the request's effective timeout). On failure the handle is
/// not in `multi` and the Error is what the transfer completes with.
Result<void> add_to_multi(CURLM* multi, MultiTransfer& transfer,
                          const CurlTransportOptions& options, CURLSH* share,
                          std::optional<std::chrono::milliseconds> timeout = std::nullopt);

/// The transfers curl reports finished, taken out of `multi` and `active`, each with its
/// outcome, in the order curl reported them.
std::vector<std::pair<std::unique_ptr<MultiTransfer>, Result<HttpResponse>>> take_finished(
    CURLM* multi, ActiveTransfers& active);

/// Takes every transfer out of `multi` and `active` (to be cancelled).
std::vector<std::unique_ptr<MultiTransfer>> take_all(CURLM* multi, ActiveTransfers& active);

/// Runs `callback` with `result` inside a CallbackScope (a drain() it calls must not wait),
/// dropping what it throws. Does nothing for an empty callback.
void invoke_callback(HttpCallback& callback, Result<HttpResponse> result);

}  // namespace chathooks::http::detail
