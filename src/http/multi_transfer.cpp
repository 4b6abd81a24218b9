// What the threaded and the host-driven asynchronous paths share: transfers on a multi handle.
#include "http/multi_transfer.hpp"

#include <algorithm>
#include <string>

#include "core/callback_scope.hpp"
#include "http/curl_share.hpp"

namespace chathooks::http::detail {

MultiTransfer::MultiTransfer(HttpRequest r, HttpCallback c, const CurlTransportOptions& options)
    : request(std::move(r)), callback(std::move(c)), context(options) {
  const auto timeout = effective_timeout(request, options);
  if (timeout.count() > 0) deadline = std::chrono::steady_clock::now() + timeout;
}

MultiTransfer::~MultiTransfer() {
  if (easy != nullptr) curl_easy_cleanup(easy);
}

Error cancelled_error() {
  return Error(Errc::cancelled, "the transfer was cancelled or the transport shut down");
}

Error waited_too_long_error() {
  return Error(Errc::timeout, "no connection slot became free within the request's timeout");
}

std::optional<std::chrono::milliseconds> time_left(const MultiTransfer& transfer) {
  if (!transfer.deadline) return std::nullopt;
  return std::chrono::ceil<std::chrono::milliseconds>(*transfer.deadline -
                                                      std::chrono::steady_clock::now());
}

Error queue_full_error(const CurlTransportOptions& options) {
  return Error(Errc::queue_full, "the asynchronous queue holds max_queued (" +
                                     std::to_string(options.max_queued) + ") transfers");
}

std::optional<Error> check_async_request(const HttpRequest& request,
                                         const CurlTransportOptions& options, bool have_multi,
                                         std::string* origin) {
  auto target = check_request(request, options);
  if (!target) return target.error();
  if (!have_multi) return Error(Errc::internal, "libcurl could not be initialised");
  if (origin != nullptr) *origin = std::move(target->origin);
  return std::nullopt;
}

CURLM* make_multi(const CurlTransportOptions& options) {
  if (!ensure_curl_initialised()) return nullptr;
  CURLM* multi = curl_multi_init();
  if (multi == nullptr) return nullptr;
  const auto per_host =
      static_cast<long>(std::max<std::size_t>(options.max_connections_per_host, 1));
  const auto total = static_cast<long>(std::max<std::size_t>(options.max_connections_total, 1));
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, per_host);
  curl_multi_setopt(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, total);
  // The idle-connection cache holds no more than the total limit.
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, total);
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
  return multi;
}

Result<void> add_to_multi(CURLM* multi, MultiTransfer& transfer,
                          const CurlTransportOptions& options, CURLSH* share,
                          std::optional<std::chrono::milliseconds> timeout) {
  transfer.easy = curl_easy_init();
  if (transfer.easy == nullptr) {
    return Error(Errc::internal, "out of memory creating a transfer");
  }
  if (!configure_handle(transfer.easy, options, share)) {
    return Error(Errc::internal, "libcurl refused an option");
  }
  auto configured =
      transfer.context.configure(transfer.easy, transfer.request,
                                 timeout ? *timeout : effective_timeout(transfer.request, options));
  if (!configured) return configured.error();
  curl_easy_setopt(transfer.easy, CURLOPT_PRIVATE, static_cast<void*>(&transfer));
  if (curl_multi_add_handle(multi, transfer.easy) != CURLM_OK) {
    return Error(Errc::internal, "curl_multi_add_handle failed");
  }
  return {};
}

std::vector<std::pair<std::unique_ptr<MultiTransfer>, Result<HttpResponse>>> take_finished(
    CURLM* multi, ActiveTransfers& active) {
  std::vector<std::pair<std::unique_ptr<MultiTransfer>, Result<HttpResponse>>> finished;
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* easy = message->easy_handle;
    const CURLcode code = message->data.result;
    void* raw = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &raw);
    auto it = active.find(static_cast<MultiTransfer*>(raw)->id);
    if (it == active.end()) continue;
    auto transfer = std::move(it->second);
    active.erase(it);
    curl_multi_remove_handle(multi, easy);
    auto result = transfer->context.finish(easy, code);
    finished.emplace_back(std::move(transfer), std::move(result));
  }
  return finished;
}

std::vector<std::unique_ptr<MultiTransfer>> take_all(CURLM* multi, ActiveTransfers& active) {
  std::vector<std::unique_ptr<MultiTransfer>> all;
  all.reserve(active.size());
  for (auto& entry : active) {
    curl_multi_remove_handle(multi, entry.second->easy);
    all.push_back(std::move(entry.second));
  }
  active.clear();
  return all;
}

void invoke_callback(HttpCallback& callback, Result<HttpResponse> result) {
  if (!callback) return;
  const chathooks::detail::CallbackScope scope;  // A drain() it calls must not wait.
  try {
    callback(std::move(result));
  } catch (...) {
    // Documented: a throwing callback must not take the loop (and every other transfer) down
    // with it.
  }
}

}  // namespace chathooks::http::detail
