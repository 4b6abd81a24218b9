// libcurl process setup and the per-transport share handle.
#include "http/curl_share.hpp"

#include <cstddef>

namespace chathooks::http::detail {

bool ensure_curl_initialised() {
  // A function-local static is initialised exactly once even with concurrent callers (C++11),
  // which also serialises curl_global_init for curl builds where it is not thread-safe.
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return initialised;
}

CurlShare::CurlShare() {
  if (!ensure_curl_initialised()) return;
  share_ = curl_share_init();
  if (share_ == nullptr) return;
  // Connections are not shared here: the synchronous pool and the multi handle each keep their
  // own connection cache, whose size is what bounds the number of open connections.
  if (curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlShare::lock) != CURLSHE_OK ||
      curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlShare::unlock) != CURLSHE_OK ||
      curl_share_setopt(share_, CURLSHOPT_USERDATA, this) != CURLSHE_OK ||
      curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) != CURLSHE_OK ||
      curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK) {
    curl_share_cleanup(share_);
    share_ = nullptr;
  }
}

CurlShare::~CurlShare() {
  if (share_ != nullptr) curl_share_cleanup(share_);
}

void CurlShare::lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
  const auto index = static_cast<std::size_t>(data);
  auto& share = *static_cast<CurlShare*>(self);
  if (index < share.mutexes_.size()) share.mutexes_[index].lock();
}

void CurlShare::unlock(CURL*, curl_lock_data data, void* self) {
  const auto index = static_cast<std::size_t>(data);
  auto& share = *static_cast<CurlShare*>(self);
  if (index < share.mutexes_.size()) share.mutexes_[index].unlock();
}

}  // namespace chathooks::http::detail
