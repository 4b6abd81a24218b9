// The demo's trace: one stdout line per step, prefixed with the milliseconds since the demo
// started ("[  12 ms] flw: ..."), indented detail lines under it, and "error: ..." lines on
// stderr for steps that did not behave as expected (the CLI contract's error form).
// Thread-safety: used from the demo's main thread only.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace chathooks_cli::demo {

/// What one step of the demo found: the trace line and its details when it behaved as
/// expected, or why it did not.
struct StepResult {
  bool ok = false;
  /// The step's line (when ok) or the reason (when not), without the time prefix.
  std::string line;
  /// Indented lines printed under the step's line (when ok).
  std::vector<std::string> details;
};

/// A step that behaved as expected.
StepResult passed(std::string line, std::vector<std::string> details = {});
/// A step that did not, and why.
StepResult failed(std::string reason);

/// Prints the steps as they end and counts them.
class Trace {
 public:
  Trace();

  /// Prints `result`: its line with the elapsed time on stdout, or "error: <line>" on stderr.
  /// Returns result.ok.
  bool report(const StepResult& result);

  /// Steps reported so far, and how many of them failed.
  int steps() const noexcept { return steps_; }
  int failures() const noexcept { return failures_; }

  /// False once stdout refused a line (nothing more is printed there).
  bool stdout_ok() const noexcept { return stdout_ok_; }

  /// Milliseconds since construction.
  long long elapsed_ms() const;

 private:
  std::chrono::steady_clock::time_point start_;
  int steps_ = 0;
  int failures_ = 0;
  bool stdout_ok_ = true;
};

}  // namespace chathooks_cli::demo
