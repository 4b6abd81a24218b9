// The synchronous path's pool of curl easy handles.
//
// Why a pool rather than a share handle with a shared connection cache: each easy handle keeps
// its own connection alive between transfers, so handing a free handle that last talked to the
// same origin to the next request reuses the connection with no locking inside curl, and the
// pool's size is a hard bound on open connections (each handle caches at most one). Per-host and
// total limits are enforced here by counting leases; a caller that finds no slot waits on a
// condition variable until one frees or its deadline passes.
// Internal. Thread-safety: thread-safe.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/http/message.hpp"

namespace chathooks::http::detail {

class EasyPool {
 public:
  /// One borrowed handle. Give it back with release().
  struct Lease {
    CURL* easy = nullptr;
    std::string origin;
  };

  /// `prepare` sets the transport-wide options on each new (or reset) handle; false if it
  /// could not.
  EasyPool(std::size_t max_total, std::size_t max_per_host, std::function<bool(CURL*)> prepare);
  /// Frees every handle; none may be leased.
  ~EasyPool();
  EasyPool(const EasyPool&) = delete;
  EasyPool& operator=(const EasyPool&) = delete;

  /// Borrows a handle for `origin`, preferring one already connected there. Waits while the
  /// limits are reached: Errc::timeout when `deadline` passes first, Errc::internal when curl
  /// cannot make a handle.
  Result<Lease> acquire(const std::string& origin,
                        std::optional<std::chrono::steady_clock::time_point> deadline);
  /// Returns a handle (its connection kept) and wakes a waiter. With `reset`, every option is
  /// dropped and set again (for transfers that may leave state behind, such as credentials
  /// from a URL); otherwise only the pointers into the finished transfer are cleared.
  void release(Lease lease, bool reset);

 private:
  struct Idle {
    CURL* easy;
    std::string origin;
  };

  const std::size_t max_total_;
  const std::size_t max_per_host_;
  const std::function<bool(CURL*)> prepare_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<Idle> idle_;
  std::unordered_map<std::string, std::size_t> leased_per_origin_;
  std::size_t leased_ = 0;
};

/// The synchronous send of both curl transports: checks `request`, borrows a handle from
/// `pool` (the wait for a slot counts against the request's timeout), performs the transfer on
/// the calling thread and gives the handle back.
Result<HttpResponse> send_pooled(EasyPool& pool, const HttpRequest& request,
                                 const CurlTransportOptions& options);

}  // namespace chathooks::http::detail
