// HttpTransport's default asynchronous send and TransferHandle.
#include "chathooks/http/transport.hpp"

#include <utility>

namespace chathooks::http {

TransferHandle::TransferHandle(std::function<void()> cancel)
    : cancel_(cancel ? std::make_shared<const std::function<void()>>(std::move(cancel)) : nullptr) {
}

void TransferHandle::cancel() const {
  if (cancel_) (*cancel_)();
}

HttpTransport::~HttpTransport() = default;

std::size_t HttpTransport::drain(std::chrono::steady_clock::time_point) {
  // The default send_async() has ended before it returns: nothing is ever pending.
  return 0;
}

std::size_t HttpTransport::shutdown() {
  return drain(std::chrono::steady_clock::time_point::min());
}

TransferHandle HttpTransport::send_async(HttpRequest request, HttpCallback callback) {
  // Runs on the calling thread: the SDK starts no thread a host did not ask for.
  auto result = send(request);
  if (callback) callback(std::move(result));
  return TransferHandle();
}

}  // namespace chathooks::http
