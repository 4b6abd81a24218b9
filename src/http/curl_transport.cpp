// CurlTransport: the synchronous path (EasyPool) and the asynchronous one (AsyncWorker) behind
// one object.
#include "chathooks/http/curl_transport.hpp"

#include <mutex>
#include <utility>

#include "core/callback_scope.hpp"
#include "http/async_worker.hpp"
#include "http/curl_request.hpp"
#include "http/curl_share.hpp"
#include "http/easy_pool.hpp"

namespace chathooks::http {

struct CurlTransport::Impl {
  explicit Impl(CurlTransportOptions o)
      : options(std::move(o)),
        initialised(detail::ensure_curl_initialised()),
        share(std::make_shared<detail::CurlShare>()),
        pool(options.max_connections_total, options.max_connections_per_host,
             [this](CURL* easy) { return detail::configure_handle(easy, options, share->get()); }) {
  }

  ~Impl() {
    std::shared_ptr<detail::AsyncWorker> to_stop;
    {
      std::lock_guard<std::mutex> lock(worker_mutex);
      stopped = true;
      to_stop = std::move(worker);
    }
    if (to_stop) to_stop->shutdown();
  }

  std::size_t drain(std::chrono::steady_clock::time_point deadline) {
    std::shared_ptr<detail::AsyncWorker> target;
    {
      std::lock_guard<std::mutex> lock(worker_mutex);
      stopped = true;  // From now on send_async() refuses, on its calling thread.
      target = worker;
    }
    if (!target) return 0;
    return target->drain(deadline, !chathooks::detail::in_callback());
  }

  Result<HttpResponse> send(const HttpRequest& request) {
    return detail::send_pooled(pool, request, options);
  }

  TransferHandle send_async(HttpRequest request, HttpCallback callback) {
    std::shared_ptr<detail::AsyncWorker> target;
    {
      std::lock_guard<std::mutex> lock(worker_mutex);
      // A callback that the shutdown is cancelling may submit again (a retry-on-error
      // callback does). Without this check it would make a new worker that outlives the
      // transport, sends the request after the destructor returned and is never stopped.
      // After drain() or shutdown() the worker may still be there, finishing: refuse anyway.
      if (!stopped) {
        if (!worker) worker = std::make_shared<detail::AsyncWorker>(options, share);
        target = worker;
      }
    }
    if (!target) {
      // Refused like any submission to a stopped worker: on the calling thread, cancelled.
      if (callback) {
        try {
          callback(Error(Errc::cancelled, "the transport is shutting down"));
        } catch (...) {
          // Documented: what a callback throws is dropped.
        }
      }
      return TransferHandle();
    }
    return target->submit(std::move(request), std::move(callback));
  }

  const CurlTransportOptions options;
  const bool initialised;
  const std::shared_ptr<detail::CurlShare> share;
  detail::EasyPool pool;
  std::mutex worker_mutex;
  std::shared_ptr<detail::AsyncWorker> worker;  // made on first send_async; worker_mutex
  bool stopped = false;                         // the destructor has begun; worker_mutex
};

CurlTransport::CurlTransport(CurlTransportOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

CurlTransport::~CurlTransport() = default;

Result<HttpResponse> CurlTransport::send(const HttpRequest& request) {
  return impl_->send(request);
}

TransferHandle CurlTransport::send_async(HttpRequest request, HttpCallback callback) {
  return impl_->send_async(std::move(request), std::move(callback));
}

std::size_t CurlTransport::drain(std::chrono::steady_clock::time_point deadline) {
  return impl_->drain(deadline);
}

const CurlTransportOptions& CurlTransport::options() const noexcept { return impl_->options; }

std::shared_ptr<HttpTransport> make_curl_transport(CurlTransportOptions options) {
  return std::make_shared<CurlTransport>(std::move(options));
}

}  // namespace chathooks::http
