// The asynchronous path: one worker thread, one curl multi handle.
#include "http/async_worker.hpp"

#include <algorithm>
#include <exception>
#include <system_error>
#include <utility>

#include "core/callback_scope.hpp"

namespace chathooks::http::detail {

struct AsyncWorker::Transfer {
  Transfer(HttpRequest r, HttpCallback c, const CurlTransportOptions& options)
      : request(std::move(r)), callback(std::move(c)), context(options) {}
  ~Transfer() {
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  std::uint64_t id = 0;
  HttpRequest request;
  HttpCallback callback;
  TransferContext context;
  CURL* easy = nullptr;
};

namespace {

void invoke(HttpCallback& callback, Result<HttpResponse> result) {
  if (!callback) return;
  const chathooks::detail::CallbackScope scope;  // A drain() it calls must not wait.
  try {
    callback(std::move(result));
  } catch (...) {
    // Documented: a throwing callback must not take the worker (and every other transfer)
    // down with it.
  }
}

Error cancelled_error() {
  return Error(Errc::cancelled, "the transfer was cancelled or the transport shut down");
}

}  // namespace

AsyncWorker::AsyncWorker(const CurlTransportOptions& options, std::shared_ptr<CurlShare> share)
    : options_(options), share_(std::move(share)) {
  if (!ensure_curl_initialised()) return;
  multi_ = curl_multi_init();
  if (multi_ == nullptr) return;
  const auto per_host =
      static_cast<long>(std::max<std::size_t>(options_.max_connections_per_host, 1));
  const auto total = static_cast<long>(std::max<std::size_t>(options_.max_connections_total, 1));
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, per_host);
  curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS, total);
  // The idle-connection cache holds no more than the total limit.
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, total);
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
}

AsyncWorker::~AsyncWorker() {
  // Reached after the worker thread ended (it holds a reference while it runs), so nothing
  // else touches the multi handle. Transfers never started still owe their callback.
  std::deque<std::unique_ptr<Transfer>> left;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    left.swap(incoming_);
  }
  for (auto& transfer : left) complete(std::move(transfer), cancelled_error());
  if (multi_ != nullptr) curl_multi_cleanup(multi_);
}

TransferHandle AsyncWorker::submit(HttpRequest request, HttpCallback callback) {
  auto target = check_request(request, options_);
  if (!target) {
    invoke(callback, target.error());
    return TransferHandle();
  }
  if (multi_ == nullptr) {
    invoke(callback, Error(Errc::internal, "libcurl could not be initialised"));
    return TransferHandle();
  }
  auto transfer = std::make_unique<Transfer>(std::move(request), std::move(callback), options_);
  std::uint64_t id = 0;
  std::optional<Error> refused;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || closed_) {
      refused = cancelled_error();
    } else if (outstanding_ >= std::max<std::size_t>(options_.max_queued, 1)) {
      refused = Error(Errc::queue_full, "the asynchronous queue holds max_queued (" +
                                            std::to_string(options_.max_queued) + ") transfers");
    } else {
      if (!thread_.joinable()) {
        try {
          thread_ = std::thread([self = shared_from_this()] { self->run(); });
          worker_id_ = thread_.get_id();
        } catch (const std::system_error& e) {
          refused = Error(Errc::internal, std::string("cannot start the worker: ") + e.what());
        }
      }
      if (!refused) {
        id = next_id_++;
        transfer->id = id;
        incoming_.push_back(std::move(transfer));
        ++outstanding_;
        ++unfinished_;
      }
    }
  }
  if (refused) {
    invoke(transfer->callback, std::move(*refused));
    return TransferHandle();
  }
  curl_multi_wakeup(multi_);
  return TransferHandle([weak = weak_from_this(), id] {
    if (auto self = weak.lock()) self->cancel(id);
  });
}

void AsyncWorker::cancel(std::uint64_t id) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;  // Shutdown cancels everything anyway.
    cancels_.push_back(id);
  }
  curl_multi_wakeup(multi_);
}

void AsyncWorker::shutdown() {
  std::thread worker;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    worker.swap(thread_);
  }
  if (!worker.joinable()) return;
  curl_multi_wakeup(multi_);
  if (worker.get_id() == std::this_thread::get_id()) {
    // Called from a callback: the worker cannot join itself. It sees stopping_ when the
    // callback returns, cancels what is left and ends; its reference keeps *this alive.
    worker.detach();
  } else {
    worker.join();
  }
}

void AsyncWorker::start(std::unique_ptr<Transfer> transfer) {
  transfer->easy = curl_easy_init();
  if (transfer->easy == nullptr) {
    complete(std::move(transfer), Error(Errc::internal, "out of memory creating a transfer"));
    return;
  }
  if (!configure_handle(transfer->easy, options_, share_->get())) {
    complete(std::move(transfer), Error(Errc::internal, "libcurl refused an option"));
    return;
  }
  auto configured = transfer->context.configure(transfer->easy, transfer->request,
                                                effective_timeout(transfer->request, options_));
  if (!configured) {
    complete(std::move(transfer), configured.error());
    return;
  }
  curl_easy_setopt(transfer->easy, CURLOPT_PRIVATE, static_cast<void*>(transfer.get()));
  if (curl_multi_add_handle(multi_, transfer->easy) != CURLM_OK) {
    complete(std::move(transfer), Error(Errc::internal, "curl_multi_add_handle failed"));
    return;
  }
  const auto id = transfer->id;
  active_.emplace(id, std::move(transfer));
}

void AsyncWorker::complete(std::unique_ptr<Transfer> transfer, Result<HttpResponse> result) {
  // Declared first, so it covers the callback's destruction too: what the callback captured
  // may be the last owner of something whose destructor drains (it must not wait here).
  const chathooks::detail::CallbackScope scope;
  HttpCallback callback = std::move(transfer->callback);
  transfer.reset();  // Frees the easy handle (already out of the multi handle).
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --outstanding_;
  }
  invoke(callback, std::move(result));
  callback = nullptr;  // What it captured goes before drain() is told it ended.
  std::lock_guard<std::mutex> lock(mutex_);
  if (--unfinished_ == 0) finished_.notify_all();
}

std::size_t AsyncWorker::drain(std::chrono::steady_clock::time_point deadline, bool wait) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    // From now on submit() refuses: nothing may be accepted that this drain does not see.
    closed_ = true;
    // worker_id_, not thread_: an earlier shutdown() from a callback swapped thread_ out, yet
    // this may still be that worker.
    const bool on_worker = worker_id_ == std::this_thread::get_id();
    if (on_worker) {
      // Inside a callback, which is itself still unfinished; the worker cannot wait for itself.
      const std::size_t others = unfinished_ > 0 ? unfinished_ - 1 : 0;
      lock.unlock();
      shutdown();
      return others;
    }
    if (wait) finished_.wait_until(lock, deadline, [&] { return unfinished_ == 0; });
    if (unfinished_ == 0) return 0;
  }
  shutdown();  // The worker cancels the rest, and has ended when this returns...
  std::unique_lock<std::mutex> lock(mutex_);
  // ...unless an earlier shutdown from one of its callbacks left it to end on its own.
  if (wait) finished_.wait(lock, [&] { return unfinished_ == 0; });
  return cancelled_at_stop_;
}

void AsyncWorker::run() {
  std::deque<std::unique_ptr<Transfer>> incoming;
  std::vector<std::uint64_t> cancels;
  for (;;) {
    bool stopping = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      incoming.swap(incoming_);
      cancels.swap(cancels_);
      stopping = stopping_;
    }
    for (auto& transfer : incoming) start(std::move(transfer));
    incoming.clear();
    for (const auto id : cancels) {
      auto it = active_.find(id);
      if (it == active_.end()) continue;  // Already completed: cancel() lost the race.
      auto transfer = std::move(it->second);
      active_.erase(it);
      curl_multi_remove_handle(multi_, transfer->easy);
      complete(std::move(transfer), cancelled_error());
    }
    cancels.clear();
    if (stopping) break;

    int running = 0;
    curl_multi_perform(multi_, &running);
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode code = message->data.result;
      void* raw = nullptr;
      curl_easy_getinfo(easy, CURLINFO_PRIVATE, &raw);
      const auto id = static_cast<Transfer*>(raw)->id;
      auto it = active_.find(id);
      if (it == active_.end()) continue;
      auto transfer = std::move(it->second);
      active_.erase(it);
      curl_multi_remove_handle(multi_, easy);
      auto result = transfer->context.finish(easy, code);
      complete(std::move(transfer), std::move(result));
    }
    // Sleeps until a socket is ready, curl's next timer, or a wakeup from submit/cancel/shutdown.
    curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
  }

  // Shutting down: cancel what is in flight, then what arrived meanwhile. stopping_ is set, so
  // nothing more can arrive.
  for (auto& [id, transfer] : active_) {
    (void)id;
    curl_multi_remove_handle(multi_, transfer->easy);
  }
  auto in_flight = std::move(active_);
  active_.clear();
  for (auto& [id, transfer] : in_flight) {
    (void)id;
    complete(std::move(transfer), cancelled_error());
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    incoming.swap(incoming_);
    cancelled_at_stop_ += in_flight.size() + incoming.size();
  }
  for (auto& transfer : incoming) complete(std::move(transfer), cancelled_error());
}

}  // namespace chathooks::http::detail
