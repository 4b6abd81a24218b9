// Internal: what one delivery tells the outside while it runs: the host's DeliveryObserver
// (chathooks/delivery/observer.hpp) and the log listener (chathooks/log.hpp). Shared by the
// Deliverer's two paths and the outbox Worker.
// Thread-safety: immutable after construction; the caller keeps one delivery's events in order.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "chathooks/delivery/observer.hpp"
#include "chathooks/delivery/send_result.hpp"
#include "chathooks/http/message.hpp"

namespace chathooks::delivery::detail {

/// The host of an absolute URL, lowercase, without userinfo, port or IPv6 brackets; empty when
/// there is none.
std::string url_host(std::string_view url);

/// One delivery's events. Holds copies of what DeliveryInfo shows, so it may outlive the
/// request it was made from.
class DeliveryEvents {
 public:
  DeliveryEvents() = default;
  /// For a delivery of `request` under `message_id`, reported to `observer` (may be null) and
  /// the log as `protocol`.
  DeliveryEvents(std::shared_ptr<DeliveryObserver> observer, std::string protocol,
                 const http::HttpRequest& request, std::string message_id);

  /// Attempt `number` is about to be sent.
  void attempt_start(int number, std::chrono::milliseconds delay_before) const;
  /// An attempt ended; `next_delay` is the wait before the next one, if any.
  void attempt_end(const Attempt& attempt, std::chrono::nanoseconds elapsed,
                   std::optional<std::chrono::milliseconds> next_delay) const;
  /// The delivery ended; `error` is null when delivered.
  void delivery_end(const DeliveryRecord& record, const Error* error) const;

 private:
  DeliveryInfo info() const;

  std::shared_ptr<DeliveryObserver> observer_;
  std::string protocol_;
  std::string message_id_;
  std::string method_;
  std::string url_;
  std::string host_;
  std::string traceparent_;
};

}  // namespace chathooks::delivery::detail
