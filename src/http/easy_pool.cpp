// The synchronous path's pool of curl easy handles.
#include "http/easy_pool.hpp"

#include "http/curl_request.hpp"
#include "http/curl_share.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace chathooks::http::detail {

EasyPool::EasyPool(std::size_t max_total, std::size_t max_per_host,
                   std::function<bool(CURL*)> prepare)
    : max_total_(std::max<std::size_t>(max_total, 1)),
      max_per_host_(std::max<std::size_t>(max_per_host, 1)),
      prepare_(std::move(prepare)) {}

EasyPool::~EasyPool() {
  for (auto& idle : idle_) curl_easy_cleanup(idle.easy);
}

Result<EasyPool::Lease> EasyPool::acquire(
    const std::string& origin, std::optional<std::chrono::steady_clock::time_point> deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto has_slot = [&] {
    const auto it = leased_per_origin_.find(origin);
    const std::size_t for_origin = it == leased_per_origin_.end() ? 0 : it->second;
    return leased_ < max_total_ && for_origin < max_per_host_;
  };
  if (deadline) {
    if (!freed_.wait_until(lock, *deadline, has_slot)) {
      return Error(Errc::timeout, "no connection slot became free within the timeout");
    }
  } else {
    freed_.wait(lock, has_slot);
  }
  CURL* easy = nullptr;
  // Most recently used first: its connection is the likeliest to still be open.
  auto match = std::find_if(idle_.rbegin(), idle_.rend(),
                            [&](const Idle& idle) { return idle.origin == origin; });
  if (match != idle_.rend()) {
    easy = match->easy;
    idle_.erase(std::next(match).base());
  } else if (idle_.size() + leased_ >= max_total_ && !idle_.empty()) {
    // The pool is full: take a handle connected elsewhere; its cache (one connection) will
    // close the old connection when the new one is made.
    easy = idle_.back().easy;
    idle_.pop_back();
  } else {
    easy = curl_easy_init();
    if (easy == nullptr) return Error(Errc::internal, "out of memory creating a curl handle");
    // One cached connection per handle keeps the pool size a bound on open connections.
    if (curl_easy_setopt(easy, CURLOPT_MAXCONNECTS, 1L) != CURLE_OK || !prepare_(easy)) {
      curl_easy_cleanup(easy);
      return Error(Errc::internal, "libcurl refused an option");
    }
  }
  ++leased_;
  ++leased_per_origin_[origin];
  return Lease{easy, origin};
}

void EasyPool::release(Lease lease, bool reset) {
  bool reusable = true;
  if (reset) {
    // Reset drops every option but keeps the live connection (curl_easy_reset's contract).
    curl_easy_reset(lease.easy);
    reusable =
        curl_easy_setopt(lease.easy, CURLOPT_MAXCONNECTS, 1L) == CURLE_OK && prepare_(lease.easy);
  } else {
    clear_transfer_pointers(lease.easy);
  }
  if (!reusable) {
    curl_easy_cleanup(lease.easy);
    lease.easy = nullptr;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --leased_;
    auto it = leased_per_origin_.find(lease.origin);
    if (it != leased_per_origin_.end() && --it->second == 0) leased_per_origin_.erase(it);
    if (lease.easy != nullptr) idle_.push_back(Idle{lease.easy, std::move(lease.origin)});
  }
  freed_.notify_all();
}

Result<HttpResponse> send_pooled(EasyPool& pool, const HttpRequest& request,
                                 const CurlTransportOptions& options) {
  if (!ensure_curl_initialised()) {
    return Error(Errc::internal, "libcurl could not be initialised");
  }
  auto target = check_request(request, options);
  if (!target) return target.error();

  const auto timeout = effective_timeout(request, options);
  const auto started = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (timeout.count() > 0) deadline = started + timeout;
  auto lease = pool.acquire(target->origin, deadline);
  if (!lease) return lease.error();
  // Credentials in a URL ("user:pass@") must not outlive their transfer in a pooled handle.
  const bool reset = request.url.find('@') != std::string::npos;
  struct Release {
    EasyPool& pool;
    EasyPool::Lease& lease;
    bool reset;
    ~Release() { pool.release(std::move(lease), reset); }
  } release{pool, *lease, reset};

  // The time spent waiting for a slot counts against the request's budget.
  auto left = timeout;
  if (deadline) {
    left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline -
                                                                 std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      return Error(Errc::timeout, "no connection slot became free within the timeout");
    }
  }
  TransferContext context(options);
  auto configured = context.configure(lease->easy, request, left);
  if (!configured) return configured.error();
  const CURLcode code = curl_easy_perform(lease->easy);
  return context.finish(lease->easy, code);
}

}  // namespace chathooks::http::detail
