// The SDK's log: nothing is logged unless the host sets a listener. Records carry a level, an
// event name ("delivery.attempt", "receiver.request", ...), a message and structured fields, so
// a host routes them into spdlog, syslog or its own logger in one line:
//
//   chathooks::log::set_listener([](const chathooks::log::Record& r) {
//     spdlog::log(to_spdlog(r.level), "{}", chathooks::log::to_line(r));
//   }, chathooks::log::Level::info);
//
// What is logged: each delivery attempt (info, warning when it failed) and delivery end (info,
// error when not delivered), from the Deliverer, the protocol clients and the outbox Worker;
// each request a receiver answered (debug when handled, info for a duplicate, warning for a
// rejection, refusal or conflict, error for a handler that threw or a store that failed).
// Nothing secret is logged: no body, no signature, no key.
//
// Thread-safety: set_listener() may be called at any time from any thread; the listener is
// called from the SDK's threads concurrently and must be thread-safe. It must not call
// set_listener() itself. What it throws is caught and dropped.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/export.hpp"

namespace chathooks::log {

/// How much a record matters.
enum class Level {
  debug,    ///< Every request handled and attempt started.
  info,     ///< Attempts that succeeded, deliveries made, duplicates.
  warning,  ///< Failed attempts, rejected or refused requests, endpoints paused.
  error,    ///< Deliveries given up, handlers that threw, stores that failed.
  off,      ///< Nothing (as a listener's level).
};

/// "debug", "info", "warning", "error", "off".
CHATHOOKS_API std::string_view to_string(Level level) noexcept;

/// One structured field of a record.
struct Field {
  /// The field's name: "id", "status", ...
  std::string_view name;
  /// Its value, as text.
  std::string value;
};

/// One log record. Its views are valid during the listener call only.
struct Record {
  /// How much it matters.
  Level level = Level::info;
  /// A stable dotted name for the kind of record: "delivery.attempt", "delivery.end",
  /// "receiver.request".
  std::string_view event;
  /// A sentence for people.
  std::string message;
  /// The details: id, url, status, error, attempt, delay_ms...
  std::vector<Field> fields;
};

/// Receives records.
using Listener = std::function<void(const Record&)>;

/// Sets the process-wide listener and the least level it receives (records below it are not
/// even built). An empty listener, or Level::off, turns logging off (the default).
CHATHOOKS_API void set_listener(Listener listener, Level min_level = Level::info);

/// Whether a record of `level` would reach a listener now.
CHATHOOKS_API bool enabled(Level level) noexcept;

/// The record as one logfmt line, no newline:
/// `level=warning event=delivery.attempt msg="attempt 1 failed" id=msg_1 status=503`. Values
/// with spaces, quotes, `=` or control characters are quoted and escaped.
CHATHOOKS_API std::string to_line(const Record& record);

}  // namespace chathooks::log
