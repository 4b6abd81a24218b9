// The demo's trace (demo_trace.hpp).
#include "demo_trace.hpp"

#include <fmt/format.h>

#include <utility>

#include "io.hpp"

namespace chathooks_cli::demo {

StepResult passed(std::string line, std::vector<std::string> details) {
  return StepResult{true, std::move(line), std::move(details)};
}

StepResult failed(std::string reason) { return StepResult{false, std::move(reason), {}}; }

Trace::Trace() : start_(std::chrono::steady_clock::now()) {}

long long Trace::elapsed_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start_)
      .count();
}

bool Trace::report(const StepResult& result) {
  ++steps_;
  if (!result.ok) {
    ++failures_;
    print_error(result.line);
    return false;
  }
  // A stdout that cannot take the trace (a closed pipe) is reported once by
  // print_stdout_line; the rest of the trace is dropped and the demo fails at the end.
  if (!stdout_ok_) return true;
  stdout_ok_ = print_stdout_line(fmt::format("[{:>4} ms] {}", elapsed_ms(), result.line));
  for (const std::string& detail : result.details) {
    if (!stdout_ok_) break;
    stdout_ok_ = print_stdout_line("          " + detail);
  }
  return true;
}

}  // namespace chathooks_cli::demo
