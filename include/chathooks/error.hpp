// The one error model of chathooks: every operation that can fail returns a Result<T>, which
// holds either a value or an Error (a code, a human message and, for payloads, the RFC 6901 JSON
// Pointer of the member at fault). The SDK does not throw for bad input or network failures.
// The only exceptions are programming errors: reading the value of a Result that holds an error,
// or the error of one that holds a value (BadResultAccess), as std::optional::value does.
// Thread-safety: plain values; distinct objects may be used from distinct threads freely.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "chathooks/export.hpp"

/// Everything chathooks declares. This namespace holds the foundation the protocols share: the
/// error model (Result, Error, Errc), JSON values (Json, Field, OpenEnum, OrderedMap), Timestamp
/// and Problem. Each protocol (flw, boticario, cliengo) and each layer (http, signing, delivery,
/// receiver) has a nested namespace of its own. Internal code lives only in `chathooks::detail`
/// or `chathooks::<layer>::detail` (e.g. `chathooks::receiver::detail`): not part of the API.
namespace chathooks {

/// What went wrong. Codes are grouped by layer; the numeric values are not stable across
/// versions, compare with the enumerators.
enum class Errc {
  // JSON text and payloads.
  syntax = 1,           ///< Not JSON: the message gives the byte offset.
  invalid_utf8,         ///< A string or the document is not valid UTF-8.
  too_deep,             ///< Nesting exceeds ParseOptions::max_depth.
  too_large,            ///< The input exceeds ParseOptions::max_bytes or max_values.
  number_out_of_range,  ///< A number JSON allows but that no double or 64-bit integer holds.
  duplicate_key,        ///< An object names the same member twice (see DuplicateKeys).
  type_mismatch,        ///< A known member has the wrong JSON type.
  missing_member,       ///< A member the payload cannot be understood without is absent.
  invalid_value,        ///< The right JSON type but a value the member cannot take.

  // HTTP transport. A 4xx or 5xx answer is a response, never one of these.
  dns,                  ///< The host name did not resolve.
  connection_refused,   ///< Nothing listens at the destination.
  connection_failed,    ///< The connection could not be made or was reset.
  timeout,              ///< A connect, total or low-speed timeout expired (for a
                        ///< receiver: reading a request's body, HTTP 408).
  tls,                  ///< TLS handshake or certificate verification failed.
  response_too_large,   ///< The response body exceeded the configured cap.
  blocked_destination,  ///< The destination guard refused the address.
  invalid_request,      ///< The request itself is malformed (URL, header with CR/LF, ...).
  cancelled,            ///< The transfer was cancelled or the transport shut down.
  protocol,             ///< The peer broke HTTP (for a receiver: the request's framing).
  queue_full,           ///< An asynchronous queue is at capacity (back-pressure).

  // Signing, verification and delivery.
  invalid_secret,            ///< A signing secret or key cannot be decoded.
  invalid_signature_header,  ///< A signature header is missing or malformed.
  signature_mismatch,        ///< No signature matches any configured secret.
  timestamp_out_of_range,    ///< The signed timestamp is outside the tolerance.
  http_status,               ///< A delivery ended on an HTTP status that means failure.
  endpoint_gone,             ///< HTTP 410: the receiver asks never to be called again.
  attempts_exhausted,        ///< Every allowed attempt failed.
  deadline_exceeded,         ///< The overall delivery deadline passed.
  circuit_open,       ///< The endpoint is paused after repeated failures (EndpointPolicy): no
                      ///< attempt was made; try again after the pause.
  endpoint_disabled,  ///< The endpoint answered 410 earlier and is disabled until re-enabled
                      ///< (EndpointPolicy::enable): no attempt was made.

  // Receiving webhooks (receiver/): why a received request was turned away.
  method_not_allowed,      ///< The request's method is not POST (HTTP 405).
  payload_too_large,       ///< The request body exceeds the receiver's cap (HTTP 413).
  unsupported_media_type,  ///< The Content-Type is not JSON (HTTP 415).
  unauthenticated,         ///< A token or source-address check failed (HTTP 401).
  in_progress,             ///< A delivery with the same id is being handled now (HTTP 409).
  idempotency_conflict,    ///< The id was seen before with another body (HTTP 409).
  handler_refused,         ///< The host's handler refused the payload (its own status).
  handler_failed,          ///< The host's handler threw (HTTP 500).

  // Durable delivery (outbox/).
  storage,     ///< A store failed: the outbox's or an idempotency store's database (I/O,
               ///< corruption, a lock held too long, a lost connection).
  lease_lost,  ///< A worker's lease on a message expired and another worker may hold it now.
  duplicate,   ///< A message with the same webhook-id is already stored.

  // Anything else.
  invalid_argument,  ///< An argument to an SDK function is not acceptable.
  internal,          ///< A bug in chathooks: please report it.
};

/// The enumerator's name, e.g. "type_mismatch".
CHATHOOKS_API std::string_view to_string(Errc code) noexcept;

/// An error value: code, message, and where it applies.
class CHATHOOKS_API Error {
 public:
  /// An error about no member in particular: no pointer, no offset.
  Error(Errc code, std::string message) : code_(code), message_(std::move(message)) {}
  /// An error about a payload: `pointer` is the RFC 6901 JSON Pointer of the member at fault
  /// (empty for the whole document), `offset` the byte offset into the input when known.
  Error(Errc code, std::string message, std::string pointer,
        std::optional<std::size_t> offset = std::nullopt)
      : code_(code), message_(std::move(message)), pointer_(std::move(pointer)), offset_(offset) {}

  /// The machine-readable code.
  Errc code() const noexcept { return code_; }
  /// What went wrong, for a human ("expected string, got number").
  const std::string& message() const noexcept { return message_; }
  /// RFC 6901 JSON Pointer of the member at fault ("/contact/tags/1"); empty for the whole
  /// document or for errors that are not about a payload.
  const std::string& pointer() const noexcept { return pointer_; }
  /// Byte offset into the input for syntax errors, when known.
  std::optional<std::size_t> offset() const noexcept { return offset_; }

  /// "<pointer>: <message>" for an error about a member; just the message when there is no
  /// pointer (an error about the whole document or not about a payload).
  std::string to_string() const;

  /// Equal when code, message, pointer and offset are all equal.
  friend bool operator==(const Error& a, const Error& b) {
    return a.code_ == b.code_ && a.message_ == b.message_ && a.pointer_ == b.pointer_ &&
           a.offset_ == b.offset_;
  }
  /// !(a == b).
  friend bool operator!=(const Error& a, const Error& b) { return !(a == b); }

 private:
  Errc code_;
  std::string message_;
  std::string pointer_;
  std::optional<std::size_t> offset_;
};

/// Thrown only when code reads a Result the wrong way, a bug in the caller: the value of a
/// Result that holds an error, or the error of one that holds a value.
class CHATHOOKS_API BadResultAccess : public std::logic_error {
 public:
  /// Carries `error`, the Error the Result held; what() includes its to_string().
  explicit BadResultAccess(Error error);
  /// What error() throws on a Result that holds a value: it carries
  /// `Error(Errc::invalid_argument, "error() called on a Result that holds a value")`, and
  /// what() says the same.
  static BadResultAccess error_on_success();
  /// The Error the Result held; for error_on_success(), the invalid_argument Error above.
  const Error& error() const noexcept { return error_; }

 private:
  BadResultAccess(Error error, const std::string& what);
  Error error_;
};

namespace detail {

/// Tag for Result's constructor that default-initializes the value: for types whose default
/// constructor sets every member (the SDK's payload structs), which then are not zeroed first.
struct DefaultInitTag {};

/// A Result's value, wrapped so that it can be default-initialized in place (std::variant
/// value-initializes: a payload struct of several hundred bytes would be zeroed, then built).
template <class T>
struct ResultSlot {
  explicit ResultSlot(DefaultInitTag) {}  // `value` default-initialized
  template <class... Args>
  explicit ResultSlot(std::in_place_t, Args&&... args) : value(std::forward<Args>(args)...) {}
  T value;
};

}  // namespace detail

/// Either a T or an Error. Check with ok() (or in a boolean context) before reading value().
/// Unlike std::optional, operator* and operator-> are checked too: on an error they throw
/// BadResultAccess rather than read garbage.
template <class T>
class Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Error>, "Result<Error> is not meaningful");

 public:
  /// The type of the value held on success.
  using value_type = T;

  /// Success, holding `value`. Implicit, so a function returning Result<T> can `return value;`.
  Result(T value)  // NOLINT implicit
      : storage_(std::in_place_index<0>, std::in_place, std::move(value)) {}
  /// Failure, holding `error`. Implicit, so a function can `return Error(...);`.
  Result(Error error) : storage_(std::in_place_index<1>, std::move(error)) {}  // NOLINT implicit
  /// A value constructed in place from `args` (value-initialized when there are none).
  template <class... Args>
  explicit Result(std::in_place_t, Args&&... args)
      : storage_(std::in_place_index<0>, std::in_place, std::forward<Args>(args)...) {}
  /// A value default-initialized in place: for the SDK's decoders, whose payload structs set
  /// every member in their default constructors. (For a T that leaves a member uninitialized,
  /// that member is indeterminate: use the std::in_place constructor.)
  explicit Result(detail::DefaultInitTag tag) : storage_(std::in_place_index<0>, tag) {}

  /// Whether a value is held (no error).
  bool ok() const noexcept { return storage_.index() == 0; }
  /// Same as ok().
  explicit operator bool() const noexcept { return ok(); }

  /// The value. Throws BadResultAccess, carrying the Error, when !ok().
  T& value() & {
    check();
    return std::get<0>(storage_).value;
  }
  /// The value. Throws BadResultAccess, carrying the Error, when !ok().
  const T& value() const& {
    check();
    return std::get<0>(storage_).value;
  }
  /// The value, moved out. Throws BadResultAccess, carrying the Error, when !ok().
  T&& value() && {
    check();
    return std::move(std::get<0>(storage_).value);
  }

  /// value(): throws BadResultAccess when !ok().
  T& operator*() & { return value(); }
  /// value(): throws BadResultAccess when !ok().
  const T& operator*() const& { return value(); }
  /// value(), moved out: throws BadResultAccess when !ok().
  T&& operator*() && { return std::move(*this).value(); }
  /// &value(): throws BadResultAccess when !ok().
  T* operator->() { return &value(); }
  /// &value(): throws BadResultAccess when !ok().
  const T* operator->() const { return &value(); }

  /// A copy of the value, or `fallback` converted to T when !ok().
  template <class U>
  T value_or(U&& fallback) const& {
    return ok() ? std::get<0>(storage_).value : static_cast<T>(std::forward<U>(fallback));
  }

  /// The error. Throws BadResultAccess (BadResultAccess::error_on_success()) when ok().
  const Error& error() const& {
    check_error();
    return std::get<1>(storage_);
  }
  /// The error, moved out. Throws BadResultAccess (BadResultAccess::error_on_success()) when
  /// ok().
  Error&& error() && {
    check_error();
    return std::get<1>(std::move(storage_));
  }

 private:
  void check() const {
    if (!ok()) throw BadResultAccess(std::get<1>(storage_));
  }
  void check_error() const {
    if (ok()) throw BadResultAccess::error_on_success();
  }
  std::variant<detail::ResultSlot<T>, Error> storage_;
};

/// A Result with no value: success, or an Error.
template <>
class Result<void> {
 public:
  /// Success. (User-provided, so that `return {};` does not zero the whole object first.)
  Result() noexcept {}
  /// Failure, holding `error`. Implicit, so a function can `return Error(...);`.
  Result(Error error) : error_(std::move(error)) {}  // NOLINT implicit

  /// Whether the operation succeeded.
  bool ok() const noexcept { return !error_.has_value(); }
  /// Same as ok().
  explicit operator bool() const noexcept { return ok(); }
  /// Does nothing on success; throws BadResultAccess, carrying the Error, when !ok() (the
  /// counterpart of Result<T>::value() for code that treats an error as a bug).
  void value() const {
    if (error_) throw BadResultAccess(*error_);
  }
  /// The error. Throws BadResultAccess (BadResultAccess::error_on_success()) when ok().
  const Error& error() const& {
    if (!error_) throw BadResultAccess::error_on_success();
    return *error_;
  }
  /// The error, moved out. Throws BadResultAccess (BadResultAccess::error_on_success()) when
  /// ok().
  Error&& error() && {
    if (!error_) throw BadResultAccess::error_on_success();
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

}  // namespace chathooks
