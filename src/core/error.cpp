// Error codes' names and Error's text form.
#include "chathooks/error.hpp"

namespace chathooks {

std::string_view to_string(Errc code) noexcept {
  switch (code) {
    case Errc::syntax:
      return "syntax";
    case Errc::invalid_utf8:
      return "invalid_utf8";
    case Errc::too_deep:
      return "too_deep";
    case Errc::too_large:
      return "too_large";
    case Errc::number_out_of_range:
      return "number_out_of_range";
    case Errc::duplicate_key:
      return "duplicate_key";
    case Errc::type_mismatch:
      return "type_mismatch";
    case Errc::missing_member:
      return "missing_member";
    case Errc::invalid_value:
      return "invalid_value";
    case Errc::dns:
      return "dns";
    case Errc::connection_refused:
      return "connection_refused";
    case Errc::connection_failed:
      return "connection_failed";
    case Errc::timeout:
      return "timeout";
    case Errc::tls:
      return "tls";
    case Errc::response_too_large:
      return "response_too_large";
    case Errc::blocked_destination:
      return "blocked_destination";
    case Errc::invalid_request:
      return "invalid_request";
    case Errc::cancelled:
      return "cancelled";
    case Errc::protocol:
      return "protocol";
    case Errc::queue_full:
      return "queue_full";
    case Errc::invalid_secret:
      return "invalid_secret";
    case Errc::invalid_signature_header:
      return "invalid_signature_header";
    case Errc::signature_mismatch:
      return "signature_mismatch";
    case Errc::timestamp_out_of_range:
      return "timestamp_out_of_range";
    case Errc::http_status:
      return "http_status";
    case Errc::endpoint_gone:
      return "endpoint_gone";
    case Errc::circuit_open:
      return "circuit_open";
    case Errc::endpoint_disabled:
      return "endpoint_disabled";
    case Errc::attempts_exhausted:
      return "attempts_exhausted";
    case Errc::deadline_exceeded:
      return "deadline_exceeded";
    case Errc::method_not_allowed:
      return "method_not_allowed";
    case Errc::payload_too_large:
      return "payload_too_large";
    case Errc::unsupported_media_type:
      return "unsupported_media_type";
    case Errc::unauthenticated:
      return "unauthenticated";
    case Errc::in_progress:
      return "in_progress";
    case Errc::idempotency_conflict:
      return "idempotency_conflict";
    case Errc::handler_refused:
      return "handler_refused";
    case Errc::handler_failed:
      return "handler_failed";
    case Errc::invalid_argument:
      return "invalid_argument";
    case Errc::storage:
      return "storage";
    case Errc::lease_lost:
      return "lease_lost";
    case Errc::duplicate:
      return "duplicate";
    case Errc::internal:
      return "internal";
  }
  return "unknown";
}

std::string Error::to_string() const {
  if (pointer_.empty()) return message_;
  std::string out;
  out.reserve(pointer_.size() + 2 + message_.size());
  out += pointer_;
  out += ": ";
  out += message_;
  return out;
}

BadResultAccess::BadResultAccess(Error error)
    : BadResultAccess(error, "chathooks::Result holds an error: " + error.to_string()) {}

BadResultAccess::BadResultAccess(Error error, const std::string& what)
    : std::logic_error(what), error_(std::move(error)) {}

BadResultAccess BadResultAccess::error_on_success() {
  Error error(Errc::invalid_argument, "error() called on a Result that holds a value");
  const std::string what = "chathooks::Result: " + error.message();
  return BadResultAccess(std::move(error), what);
}

}  // namespace chathooks
