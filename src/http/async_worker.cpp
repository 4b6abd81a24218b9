// The asynchronous path: one worker thread, one curl multi handle.
#include "http/async_worker.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <system_error>
#include <utility>

#include "core/callback_scope.hpp"

namespace chathooks::http::detail {

AsyncWorker::AsyncWorker(const CurlTransportOptions& options, std::shared_ptr<CurlShare> share)
    : options_(options), share_(std::move(share)), multi_(make_multi(options_)) {}

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
  if (auto refused = check_async_request(request, options_, multi_ != nullptr)) {
    invoke_callback(callback, std::move(*refused));
    return TransferHandle();
  }
  // Its timeout counts from here (MultiTransfer): the wait for a connection slot is part of it.
  auto transfer = std::make_unique<Transfer>(std::move(request), std::move(callback), options_);
  std::uint64_t id = 0;
  std::optional<Error> refused;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || closed_) {
      refused = cancelled_error();
    } else if (outstanding_ >= std::max<std::size_t>(options_.max_queued, 1)) {
      refused = queue_full_error(options_);
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
    invoke_callback(transfer->callback, std::move(*refused));
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
  // curl gets what is left of the timeout; expire_overdue() ends it should curl hold it on its
  // pending list past that.
  const auto timeout = time_left(*transfer);
  if (timeout && timeout->count() <= 0) {
    complete(std::move(transfer), waited_too_long_error());
    return;
  }
  auto added = add_to_multi(multi_, *transfer, options_, share_->get(), timeout);
  if (!added) {
    complete(std::move(transfer), added.error());
    return;
  }
  const auto id = transfer->id;
  if (transfer->deadline) deadlines_.emplace(*transfer->deadline, id);
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
  invoke_callback(callback, std::move(result));
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

std::chrono::milliseconds AsyncWorker::expire_overdue(std::chrono::milliseconds longest) {
  const auto now = std::chrono::steady_clock::now();
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    const std::uint64_t id = deadlines_.begin()->second;
    deadlines_.erase(deadlines_.begin());
    auto it = active_.find(id);
    if (it == active_.end()) continue;
    auto transfer = std::move(it->second);
    active_.erase(it);
    curl_multi_remove_handle(multi_, transfer->easy);
    complete(std::move(transfer), waited_too_long_error());
  }
  if (deadlines_.empty()) return longest;
  const auto until = std::chrono::ceil<std::chrono::milliseconds>(deadlines_.begin()->first - now);
  return std::clamp(until, std::chrono::milliseconds(1), longest);
}

void AsyncWorker::forget_deadline(const Transfer& transfer) {
  if (!transfer.deadline) return;
  const auto [first, last] = deadlines_.equal_range(*transfer.deadline);
  for (auto it = first; it != last; ++it) {
    if (it->second == transfer.id) {
      deadlines_.erase(it);
      return;
    }
  }
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
      forget_deadline(*transfer);
      complete(std::move(transfer), cancelled_error());
    }
    cancels.clear();
    if (stopping) break;

    int running = 0;
    curl_multi_perform(multi_, &running);
    for (auto& [transfer, result] : take_finished(multi_, active_)) {
      forget_deadline(*transfer);
      complete(std::move(transfer), std::move(result));
    }
    const auto next_deadline = expire_overdue(std::chrono::milliseconds(1000));
    // Sleeps until a socket is ready, curl's next timer, a wakeup from submit/cancel/shutdown,
    // or the next transfer's deadline.
    curl_multi_poll(multi_, nullptr, 0, static_cast<int>(next_deadline.count()), nullptr);
  }

  // Shutting down: cancel what is in flight, then what arrived meanwhile. stopping_ is set, so
  // nothing more can arrive.
  auto in_flight = take_all(multi_, active_);
  for (auto& transfer : in_flight) complete(std::move(transfer), cancelled_error());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    incoming.swap(incoming_);
    cancelled_at_stop_ += in_flight.size() + incoming.size();
  }
  for (auto& transfer : incoming) complete(std::move(transfer), cancelled_error());
}

}  // namespace chathooks::http::detail
