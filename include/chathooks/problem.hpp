// Problem: one finding of a pre-send check (a response that the platform would reject or
// misread). Checks report problems as a list, never throw: the caller decides what to do.
// Thread-safety: a plain value type.
#pragma once

#include <string>
#include <vector>

namespace chathooks {

/// One finding: where (a JSON Pointer into the encoded payload) and what.
struct Problem {
  std::string pointer;  ///< RFC 6901 JSON Pointer of the member at fault in the encoded payload
  std::string message;  ///< what is wrong, for a human
  /// "<pointer>: <message>", the form errors use.
  std::string to_string() const { return pointer + ": " + message; }
  /// Same pointer and message.
  friend bool operator==(const Problem& a, const Problem& b) {
    return a.pointer == b.pointer && a.message == b.message;
  }
};

/// What a check returns: its findings in the order found; empty means nothing to report.
using Problems = std::vector<Problem>;

}  // namespace chathooks
