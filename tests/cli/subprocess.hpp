// Runs a program as a child process for the CLI tests: feeds it bytes on stdin through a pipe
// and collects its stdout and stderr separately (one poll loop over the three pipes, so neither
// side can block the other however much is written), with a deadline after which the child is
// killed and the run reported as timed out. BackgroundProcess keeps a child running (a server)
// while the test talks to it, then signals it and collects what it did.
// Thread-safety: run_process may be called from several threads; each call owns its pipes. A
// BackgroundProcess is used from one thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <regex>
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
/// closes it, and waits for it to end or for `timeout`. The child starts with no signal blocked
/// and the default action for SIGPIPE, SIGINT and SIGTERM, whatever this process does with them.
/// Failures of the harness itself (no pipe, no spawn) throw std::runtime_error.
ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input = {},
                          std::chrono::milliseconds timeout = std::chrono::minutes(2));

/// A child process that runs while the test does something else (talks to it over the network,
/// say): its stdin is at end of file, its stdout and stderr are collected as they come. The
/// destructor kills (SIGKILL) and reaps a child that is still running, so a failing test never
/// leaves a process behind.
class BackgroundProcess {
 public:
  /// Starts `argv[0]` (a path) with `argv`, under the same signal set-up as run_process.
  /// Failures of the harness itself (no pipe, no spawn) throw std::runtime_error.
  explicit BackgroundProcess(const std::vector<std::string>& argv);
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;
  ~BackgroundProcess();

  /// Collects output until a complete stderr line (without its newline) matches `line`
  /// entirely, and returns that line; nullopt when `timeout` passes or the child closes its
  /// stderr first. Lines already collected count too.
  std::optional<std::string> wait_for_err_line(const std::regex& line,
                                               std::chrono::milliseconds timeout);

  /// Collects whatever output the child has written so far, without waiting for more.
  void read_available();

  /// The output collected so far.
  const std::string& out() const;
  const std::string& err() const;

  /// Sends `signal` to the child (nothing once it has been reaped).
  void send_signal(int signal);

  /// Collects output until the child closes stdout and stderr and exits, or `timeout` passes
  /// (then it is killed and the result says timed_out). The result holds everything collected
  /// since the start. Call it once.
  ProcessResult wait(std::chrono::milliseconds timeout);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// A printable summary of a result for test failure messages.
std::string describe(const ProcessResult& result);

}  // namespace chathooks_test
