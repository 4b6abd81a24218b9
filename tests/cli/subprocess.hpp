// Runs a program as a child process for the CLI tests: feeds it bytes on stdin through a pipe
// and collects its stdout and stderr separately (one poll loop over the three pipes, so neither
// side can block the other however much is written), with a deadline after which the child is
// killed and the run reported as timed out.
// Thread-safety: run_process may be called from several threads; each call owns its pipes.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace chathooks_test {

/// What a child process did.
struct ProcessResult {
  /// True when the child exited normally; exit_code is then its status.
  bool exited = false;
  int exit_code = -1;
  /// The signal that ended the child when it did not exit normally (0 otherwise).
  int signal = 0;
  /// True when the deadline passed and the child was killed.
  bool timed_out = false;
  std::string out;
  std::string err;
};

/// Starts `argv[0]` (a path, not searched in PATH) with `argv`, writes `input` to its stdin and
/// closes it, and waits for it to end or for `timeout`. The child gets the default SIGPIPE
/// action whatever this process does with SIGPIPE. Failures of the harness itself (no pipe, no
/// spawn) throw std::runtime_error.
ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input = {},
                          std::chrono::milliseconds timeout = std::chrono::minutes(2));

/// A printable summary of a result for test failure messages.
std::string describe(const ProcessResult& result);

}  // namespace chathooks_test
