// libcurl process setup and the share handle of one CurlTransport.
// curl_global_init runs once per process (thread-safe through a function-local static); the
// share handle lets every easy handle of a transport, synchronous and asynchronous, use one DNS
// cache and one TLS session cache, guarded by one mutex per kind of shared data.
// Internal. Thread-safety: ensure_curl_initialised() and CurlShare are thread-safe.
#pragma once

#include <curl/curl.h>

#include <array>
#include <mutex>

namespace chathooks::http::detail {

/// Initialises libcurl once; false if that failed (then no transfer can run).
bool ensure_curl_initialised();

/// A curl share handle for the DNS and TLS session caches, with its locks.
class CurlShare {
 public:
  CurlShare();
  ~CurlShare();
  CurlShare(const CurlShare&) = delete;
  CurlShare& operator=(const CurlShare&) = delete;

  /// The handle, or nullptr if curl could not create it (transfers then run unshared).
  CURLSH* get() const noexcept { return share_; }

 private:
  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self);
  static void unlock(CURL*, curl_lock_data data, void* self);

  CURLSH* share_ = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> mutexes_;
};

}  // namespace chathooks::http::detail
