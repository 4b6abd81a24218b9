// DeliveryEvents: observer calls (each shielded: what an observer throws is dropped) and log
// records for one delivery.
#include "delivery/delivery_events.hpp"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "chathooks/log.hpp"
#include "chathooks/trace_context.hpp"
#include "core/log_emit.hpp"
#include "delivery/url_authority.hpp"

namespace chathooks::delivery::detail {

std::string url_host(std::string_view url) {
  auto authority = url_authority(url);
  if (!authority) return {};
  std::string& host = authority->host;
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return std::move(host);
}

DeliveryEvents::DeliveryEvents(std::shared_ptr<DeliveryObserver> observer, std::string protocol,
                               const http::HttpRequest& request, std::string message_id)
    : observer_(std::move(observer)),
      protocol_(std::move(protocol)),
      message_id_(std::move(message_id)),
      method_(request.method),
      url_(request.url),
      host_(url_host(request.url)),
      traceparent_(request.headers.get(kTraceParentHeader).value_or(std::string())) {}

DeliveryInfo DeliveryEvents::info() const {
  return DeliveryInfo{protocol_, message_id_, method_, url_, host_, traceparent_};
}

namespace {

template <class Call>
void shielded(const Call& call) noexcept {
  try {
    call();
  } catch (...) {
    // Documented: what an observer throws is dropped.
  }
}

std::string outcome_text(const Attempt& attempt) {
  if (attempt.status) return std::to_string(*attempt.status);
  if (attempt.error) return std::string(to_string(attempt.error->code()));
  return "none";
}

}  // namespace

void DeliveryEvents::attempt_start(int number, std::chrono::milliseconds delay_before) const {
  if (observer_) {
    const DeliveryInfo delivery = info();
    shielded([&] { observer_->on_attempt_start(AttemptStart{delivery, number, delay_before}); });
  }
  if (log::enabled(log::Level::debug)) {
    chathooks::detail::emit_log(log::Record{log::Level::debug,
                                            "delivery.attempt_start",
                                            fmt::format("attempt {} to {} starting", number, host_),
                                            {{"protocol", protocol_},
                                             {"id", message_id_},
                                             {"host", host_},
                                             {"attempt", std::to_string(number)}}});
  }
}

void DeliveryEvents::attempt_end(const Attempt& attempt, std::chrono::nanoseconds elapsed,
                                 std::optional<std::chrono::milliseconds> next_delay) const {
  if (observer_) {
    const DeliveryInfo delivery = info();
    shielded([&] {
      observer_->on_attempt_end(AttemptEnd{delivery, attempt, elapsed, next_delay});
    });
  }
  const bool succeeded = attempt.status && *attempt.status >= 200 && *attempt.status <= 299;
  const log::Level level = succeeded ? log::Level::info : log::Level::warning;
  if (!log::enabled(level)) return;
  std::vector<log::Field> fields{{"protocol", protocol_},
                                 {"id", message_id_},
                                 {"host", host_},
                                 {"attempt", std::to_string(attempt.number)},
                                 {"outcome", outcome_text(attempt)},
                                 {"duration_ms", std::to_string(attempt.duration.count())}};
  if (attempt.error) fields.push_back({"error", attempt.error->message()});
  if (next_delay) fields.push_back({"next_delay_ms", std::to_string(next_delay->count())});
  chathooks::detail::emit_log(
      log::Record{level, "delivery.attempt",
                  fmt::format("attempt {} to {}: {}", attempt.number, host_, outcome_text(attempt)),
                  std::move(fields)});
}

void DeliveryEvents::delivery_end(const DeliveryRecord& record, const Error* error) const {
  if (observer_) {
    const DeliveryInfo delivery = info();
    shielded([&] { observer_->on_delivery_end(DeliveryEnd{delivery, record, error}); });
  }
  const log::Level level = error ? log::Level::error : log::Level::info;
  if (!log::enabled(level)) return;
  std::vector<log::Field> fields{{"protocol", protocol_},
                                 {"id", message_id_},
                                 {"host", host_},
                                 {"attempts", std::to_string(record.attempts.size())}};
  if (error) {
    fields.push_back({"error", std::string(to_string(error->code()))});
    fields.push_back({"reason", error->message()});
  }
  chathooks::detail::emit_log(
      log::Record{level, "delivery.end",
                  error ? fmt::format("not delivered to {}: {}", host_, error->message())
                        : fmt::format("delivered to {}", host_),
                  std::move(fields)});
}

}  // namespace chathooks::delivery::detail
