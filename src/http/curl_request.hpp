// One HTTP exchange on a curl easy handle, shared by the synchronous and asynchronous paths:
// checking a request before it goes anywhere, configuring the handle (timeouts, body cap,
// destination guard, TLS, proxy, headers), collecting the response through curl's callbacks and
// turning curl's outcome into a Result. Internal.
// Thread-safety: a TransferContext belongs to one transfer, used by one thread at a time.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "chathooks/error.hpp"
#include "chathooks/http/curl_transport.hpp"
#include "chathooks/http/message.hpp"
#include "http/request_check.hpp"

namespace chathooks::http::detail {

/// Sets the options that are the same for every transfer of a transport (timeouts, limits, TLS,
/// proxy, guard, callbacks, share) on a new or reset handle. False if curl refused one.
bool configure_handle(CURL* easy, const CurlTransportOptions& options, CURLSH* share);

/// Clears the per-transfer pointers of a handle that goes back to a pool.
void clear_transfer_pointers(CURL* easy);

/// Checks method, URL and headers (and, through a proxy, the URL's host against the guard):
/// the checks of request_check.hpp, with the last accepted URL of each thread remembered.
Result<RequestTarget> check_request(const HttpRequest& request,
                                    const CurlTransportOptions& options);

/// The total timeout that applies to `request` (its own, else the transport's).
std::chrono::milliseconds effective_timeout(const HttpRequest& request,
                                            const CurlTransportOptions& options);

/// The state of one transfer that curl's callbacks write into. It must stay at one address
/// while the transfer runs (curl holds pointers into it), hence neither copyable nor movable.
class TransferContext {
 public:
  explicit TransferContext(const CurlTransportOptions& options);
  TransferContext(const TransferContext&) = delete;
  TransferContext& operator=(const TransferContext&) = delete;

  /// Sets the per-transfer options of `easy` (one prepared by configure_handle, fresh or used
  /// before). `request` must outlive the transfer (the body is not copied). `timeout` is the
  /// total budget left.
  Result<void> configure(CURL* easy, const HttpRequest& request, std::chrono::milliseconds timeout);

  /// Turns curl's outcome into the response or an Error. Call once, after the transfer.
  Result<HttpResponse> finish(CURL* easy, CURLcode code);

 private:
  friend bool configure_handle(CURL* easy, const CurlTransportOptions& options, CURLSH* share);

  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  static curl_socket_t on_open_socket(void* self, curlsocktype purpose,
                                      struct curl_sockaddr* address);

  void flush_pending();

  struct SlistFree {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
  };

  const CurlTransportOptions& options_;
  HttpResponse response_;
  std::size_t header_bytes_ = 0;
  std::string pending_name_;  // The last header field, until folding is ruled out.
  std::string pending_value_;
  bool has_pending_ = false;
  bool body_too_large_ = false;
  bool headers_too_large_ = false;
  bool blocked_ = false;
  std::unique_ptr<curl_slist, SlistFree> headers_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

/// Maps a failed transfer to an Errc and a message (curl's text, never the URL, which may
/// carry secrets).
Error map_curl_error(CURLcode code, long os_errno, const char* detail);

}  // namespace chathooks::http::detail
