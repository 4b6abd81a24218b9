// report_request(): the observer call (what it throws is dropped) and the log record.
#include "receiver/request_report.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "chathooks/log.hpp"
#include "chathooks/trace_context.hpp"
#include "core/log_emit.hpp"
#include "receiver/receiver_core.hpp"

namespace chathooks::receiver::detail {
namespace {

log::Level level_of(const Reply& reply) {
  if (reply.store_error) return log::Level::error;
  switch (reply.disposition) {
    case Disposition::handled:
      return log::Level::debug;
    case Disposition::duplicate:
      return log::Level::info;
    case Disposition::failed:
      return log::Level::error;
    case Disposition::refused:
    case Disposition::rejected:
    case Disposition::conflict:
      break;
  }
  return log::Level::warning;
}

void log_request(const ReceiverCore& core, std::string_view webhook_id, const Reply& reply) {
  const log::Level level = level_of(reply);
  if (!log::enabled(level)) return;
  std::vector<log::Field> fields{{"protocol", core.protocol},
                                 {"status", std::to_string(reply.response.status)},
                                 {"disposition", std::string(to_string(reply.disposition))}};
  if (!webhook_id.empty()) fields.push_back({"id", std::string(webhook_id)});
  if (reply.error) {
    fields.push_back({"error", std::string(to_string(reply.error->code()))});
    if (!reply.error->pointer().empty()) fields.push_back({"pointer", reply.error->pointer()});
    fields.push_back({"reason", reply.error->message()});
  }
  if (reply.store_error) fields.push_back({"store_error", reply.store_error->message()});
  if (!reply.warnings.empty())
    fields.push_back({"warnings", std::to_string(reply.warnings.size())});
  if (reply.handler_time.count() > 0) {
    fields.push_back(
        {"handler_us",
         std::to_string(
             std::chrono::duration_cast<std::chrono::microseconds>(reply.handler_time).count())});
  }
  chathooks::detail::emit_log(
      log::Record{level, "receiver.request",
                  fmt::format("{} request: {} {}", core.protocol, reply.response.status,
                              to_string(reply.disposition)),
                  std::move(fields)});
}

}  // namespace

void report_request(const ReceiverCore& core, const Request& request, const Reply& reply,
                    std::chrono::nanoseconds total_time) noexcept {
  // Nobody listening: no header lookups on the request path.
  if (!core.options.observer && !log::enabled(level_of(reply))) return;
  const std::string_view webhook_id = request.header("webhook-id").value_or(std::string_view());
  if (const auto& observer = core.options.observer) {
    try {
      observer->on_request(
          RequestEvent{core.protocol, request, reply, webhook_id,
                       request.header(kTraceParentHeader).value_or(std::string_view()),
                       reply.handler_time, total_time});
    } catch (...) {
      // Documented: dropped.
    }
  }
  try {
    log_request(core, webhook_id, reply);
  } catch (...) {
    // Building the record may fail to allocate: the request is answered all the same.
  }
}

}  // namespace chathooks::receiver::detail
