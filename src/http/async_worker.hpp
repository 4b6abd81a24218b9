// The asynchronous path: one worker thread driving a curl multi handle with many transfers in
// flight. Callers enqueue under a mutex and wake the worker with curl_multi_wakeup; the worker
// adds transfers to the multi handle (which queues those beyond the connection limits until a
// connection frees), runs them, and calls each callback exactly once. The worker owns a shared
// reference to this object, so the transport may be destroyed from inside a callback.
// Internal. Thread-safety: submit(), cancel(), drain() and shutdown() are thread-safe.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "chathooks/http/curl_transport.hpp"
#include "chathooks/http/transport.hpp"
#include "http/curl_request.hpp"
#include "http/curl_share.hpp"
#include "http/multi_transfer.hpp"

namespace chathooks::http::detail {

class AsyncWorker : public std::enable_shared_from_this<AsyncWorker> {
 public:
  /// `options` must outlive every transfer: the worker keeps its own copy.
  AsyncWorker(const CurlTransportOptions& options, std::shared_ptr<CurlShare> share);
  ~AsyncWorker();
  AsyncWorker(const AsyncWorker&) = delete;
  AsyncWorker& operator=(const AsyncWorker&) = delete;

  /// Queues a transfer (starting the worker thread on first use). Refusals (invalid request,
  /// queue full, shut down) call `callback` on the calling thread before returning.
  TransferHandle submit(HttpRequest request, HttpCallback callback);

  /// Cancels transfer `id` if it has not completed yet.
  void cancel(std::uint64_t id);

  /// Stops accepting, cancels everything pending and waits for the worker to finish, unless
  /// called on the worker thread itself (from a callback): then the worker finishes on its own.
  void shutdown();

  /// Waits (when `wait`, and not on the worker thread) until every accepted transfer's callback
  /// has returned or `deadline` passes, then shuts down if any is left: the worker cancels them,
  /// and their callbacks have run when this returns, except when called on the worker thread
  /// (see shutdown()). Returns how many it cancelled; on the worker thread, how many others
  /// were pending (the worker cancels those not finishing first, after the callback returns).
  std::size_t drain(std::chrono::steady_clock::time_point deadline, bool wait);

 private:
  using Transfer = MultiTransfer;

  void run();
  void start(std::unique_ptr<Transfer> transfer);
  void complete(std::unique_ptr<Transfer> transfer, Result<HttpResponse> result);
  /// Ends with Errc::timeout the transfers whose total timeout, counted from their acceptance,
  /// has passed (curl does not time out one held on its pending list); returns how long until
  /// the next one would (at most `longest`).
  std::chrono::milliseconds expire_overdue(std::chrono::milliseconds longest);
  /// Forgets the deadline of a transfer leaving curl.
  void forget_deadline(const Transfer& transfer);

  const CurlTransportOptions options_;
  const std::shared_ptr<CurlShare> share_;
  CURLM* multi_ = nullptr;

  std::mutex mutex_;
  std::deque<std::unique_ptr<Transfer>> incoming_;  // guarded by mutex_
  std::vector<std::uint64_t> cancels_;              // guarded by mutex_
  std::size_t outstanding_ = 0;                     // accepted, not completed; mutex_
  std::size_t unfinished_ = 0;                      // accepted, callback not returned; mutex_
  std::size_t cancelled_at_stop_ = 0;               // cancelled by the shutdown; mutex_
  std::condition_variable finished_;                // unfinished_ reached 0
  std::uint64_t next_id_ = 1;                       // guarded by mutex_
  bool stopping_ = false;                           // guarded by mutex_
  bool closed_ = false;                             // drain() began: refuse; mutex_
  std::thread thread_;                              // guarded by mutex_
  std::thread::id worker_id_;                       // the worker, never reset; mutex_

  // Worker-thread only.
  ActiveTransfers active_;
  std::multimap<std::chrono::steady_clock::time_point, std::uint64_t> deadlines_;  // of active_
};

}  // namespace chathooks::http::detail
