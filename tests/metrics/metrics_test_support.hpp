// Synthetic observer events for the metrics tests: what a Deliverer or a Receiver would report,
// built by hand, so that a Registry is tested without a transport or a receiver.
// Thread-safety: plain functions; each call builds its own event.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "chathooks/delivery/observer.hpp"
#include "chathooks/error.hpp"
#include "chathooks/receiver/observer.hpp"

namespace metrics_test {

using namespace std::chrono_literals;

/// A delivery of `protocol` to `host` (POST https://<host>/hook unless `method` says otherwise).
inline chathooks::delivery::DeliveryInfo delivery(std::string_view protocol, std::string_view host,
                                                  std::string_view method = "POST") {
  chathooks::delivery::DeliveryInfo info;
  info.protocol = protocol;
  info.message_id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  info.method = method;
  info.url = "https://example.invalid/hook";
  info.host = host;
  return info;
}

/// Reports attempt `number` of `info` ended with `status` or the transport error `error`
/// after `elapsed`, followed by another after `next_delay` when given.
inline void attempt_end(chathooks::delivery::DeliveryObserver& observer,
                        const chathooks::delivery::DeliveryInfo& info, std::optional<int> status,
                        std::optional<chathooks::Errc> error, std::chrono::nanoseconds elapsed,
                        std::optional<std::chrono::milliseconds> next_delay = std::nullopt,
                        int number = 1) {
  chathooks::delivery::Attempt attempt;
  attempt.number = number;
  attempt.duration = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed);
  attempt.status = status;
  if (error) attempt.error = chathooks::Error(*error, "synthetic");
  observer.on_attempt_end({info, attempt, elapsed, next_delay});
}

/// Reports `info` ended: delivered when `error` is empty.
inline void delivery_end(chathooks::delivery::DeliveryObserver& observer,
                         const chathooks::delivery::DeliveryInfo& info,
                         std::optional<chathooks::Errc> error = std::nullopt) {
  chathooks::delivery::DeliveryRecord record;
  record.message_id = std::string(info.message_id);
  std::optional<chathooks::Error> why;
  if (error) why = chathooks::Error(*error, "synthetic");
  observer.on_delivery_end({info, record, why ? &*why : nullptr});
}

/// Reports a request of `protocol` answered with `status` and `disposition`, with `warnings`
/// decode warnings, `handler` time in the handler and `total` time in handle().
inline void request(chathooks::receiver::ReceiverObserver& observer, std::string_view protocol,
                    int status, chathooks::receiver::Disposition disposition,
                    std::chrono::nanoseconds total, std::chrono::nanoseconds handler = 0ns,
                    std::size_t warnings = 0) {
  chathooks::receiver::Request req;
  req.method = "POST";
  req.headers = {{"webhook-id", "msg_1"}};
  chathooks::receiver::Reply reply;
  reply.response.status = status;
  reply.disposition = disposition;
  for (std::size_t i = 0; i < warnings; ++i)
    reply.warnings.push_back({"/contact/tags/" + std::to_string(i), "expected string, got null"});
  chathooks::receiver::RequestEvent event{protocol, req, reply, "msg_1", "", handler, total};
  observer.on_request(event);
}

}  // namespace metrics_test
