// W3C Trace Context's `traceparent` header (https://www.w3.org/TR/trace-context/): parsing one
// that came with a request, making a new one, and the child a handler passes on downstream.
// A sender carries one on every attempt (DelivererOptions::make_traceparent makes one); a
// receiver hands the incoming one to the handler (receiver::Delivery::traceparent).
//
//   if (delivery.traceparent) outgoing.headers.set("traceparent",
//                                                  delivery.traceparent->child().to_string());
//
// Thread-safety: a plain value type; generate() may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "chathooks/export.hpp"

namespace chathooks {

/// The header's name.
inline constexpr std::string_view kTraceParentHeader = "traceparent";

/// One `traceparent` value: version 00, a 16-byte trace id, an 8-byte parent (span) id, flags.
struct CHATHOOKS_API TraceParent {
  /// The trace this request belongs to; never all zero in a valid value.
  std::array<std::uint8_t, 16> trace_id{};
  /// The caller's span; never all zero in a valid value.
  std::array<std::uint8_t, 8> parent_id{};
  /// Trace flags; bit 0 is "sampled".
  std::uint8_t flags = 0;

  /// The value of a `traceparent` header, or std::nullopt when it is not one: version 00
  /// must be exactly `00-<32 hex>-<16 hex>-<2 hex>`; a later version (not `ff`) is read by its
  /// first four fields and may carry more after a `-`, as the specification requires. Hex is
  /// lowercase; all-zero ids are invalid. Surrounding spaces and tabs are ignored.
  static std::optional<TraceParent> parse(std::string_view header);
  /// A new trace: random trace and parent ids (from the system's random source), sampled.
  static TraceParent generate();
  /// The same trace with a new random parent id: what a service passes downstream.
  TraceParent child() const;

  /// Whether the sampled flag is set.
  bool sampled() const noexcept { return (flags & 1u) != 0; }
  /// `00-<trace id>-<parent id>-<flags>`, lowercase hex.
  std::string to_string() const;
  /// The trace id as 32 lowercase hex digits.
  std::string trace_id_hex() const;
  /// The parent id as 16 lowercase hex digits.
  std::string parent_id_hex() const;

  /// Equal when all three parts are.
  friend bool operator==(const TraceParent& a, const TraceParent& b) noexcept {
    return a.trace_id == b.trace_id && a.parent_id == b.parent_id && a.flags == b.flags;
  }
  /// Not equal.
  friend bool operator!=(const TraceParent& a, const TraceParent& b) noexcept { return !(a == b); }
};

}  // namespace chathooks
