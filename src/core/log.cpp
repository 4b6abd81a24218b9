// The process-wide log listener and the logfmt line.
//
// The level is an atomic read on every would-be record (enabled()), so that a disabled log costs
// one relaxed load; the listener itself sits behind a shared_ptr swapped under a mutex, so that
// set_listener() may run while records are being delivered (a record in flight keeps the old one).
#include "chathooks/log.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <utility>

#include "core/log_emit.hpp"

namespace chathooks::log {
namespace {

std::atomic<int> min_level{static_cast<int>(Level::off)};
std::mutex listener_mutex;
std::shared_ptr<const Listener> current_listener;

bool needs_quotes(std::string_view value) {
  if (value.empty()) return true;
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || c == '"' || c == '=' || c == '\\' || u == 0x7f) return true;
  }
  return false;
}

void append_value(std::string& line, std::string_view value) {
  if (!needs_quotes(value)) {
    line += value;
    return;
  }
  line += '"';
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        line += "\\\"";
        break;
      case '\\':
        line += "\\\\";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      case '\t':
        line += "\\t";
        break;
      default:
        if (u < 0x20 || u == 0x7f) {
          static const char kHex[] = "0123456789abcdef";
          line += "\\u00";
          line += kHex[u >> 4];
          line += kHex[u & 0xf];
        } else {
          line += c;
        }
    }
  }
  line += '"';
}

}  // namespace

std::string_view to_string(Level level) noexcept {
  switch (level) {
    case Level::debug:
      return "debug";
    case Level::info:
      return "info";
    case Level::warning:
      return "warning";
    case Level::error:
      return "error";
    case Level::off:
      break;
  }
  return "off";
}

void set_listener(Listener listener, Level min) {
  std::shared_ptr<const Listener> next;
  if (listener && min != Level::off) next = std::make_shared<const Listener>(std::move(listener));
  std::lock_guard<std::mutex> lock(listener_mutex);
  current_listener = std::move(next);
  min_level.store(static_cast<int>(current_listener ? min : Level::off), std::memory_order_release);
}

bool enabled(Level level) noexcept {
  return level != Level::off &&
         static_cast<int>(level) >= min_level.load(std::memory_order_acquire);
}

std::string to_line(const Record& record) {
  std::string line = "level=";
  line += to_string(record.level);
  line += " event=";
  append_value(line, record.event);
  line += " msg=";
  append_value(line, record.message);
  for (const Field& field : record.fields) {
    line += ' ';
    line += field.name;
    line += '=';
    append_value(line, field.value);
  }
  return line;
}

}  // namespace chathooks::log

namespace chathooks::detail {

void emit_log(const log::Record& record) noexcept {
  if (!log::enabled(record.level)) return;
  std::shared_ptr<const log::Listener> listener;
  {
    std::lock_guard<std::mutex> lock(log::listener_mutex);
    listener = log::current_listener;
  }
  if (!listener) return;
  try {
    (*listener)(record);
  } catch (...) {
    // Documented: dropped.
  }
}

}  // namespace chathooks::detail
