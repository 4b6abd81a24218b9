// Tests of the child-process harness itself, so that the CLI tests' "never a hang" and "exit
// status" checks can be trusted: a child that ignores its stdin, one that dies by a signal, and
// one that outlives its deadline.
#include <chrono>
#include <csignal>
#include <string>

#include "catch.hpp"
#include "subprocess.hpp"

using chathooks_test::run_process;

TEST_CASE("harness: stdout and stderr are collected apart, stdin is fed", "[cli][harness]") {
  const auto r = run_process({"/bin/sh", "-c", "cat; echo to-err >&2; exit 3"}, "abc\n");
  CHECK(r.exited);
  CHECK(r.exit_code == 3);
  CHECK(r.out == "abc\n");
  CHECK(r.err == "to-err\n");
  CHECK_FALSE(r.timed_out);
}

TEST_CASE("harness: a child that never reads a large stdin does not block the test",
          "[cli][harness]") {
  const auto r = run_process({"/bin/sh", "-c", "exit 0"}, std::string(8 * 1024 * 1024, 'x'));
  CHECK(r.exited);
  CHECK(r.exit_code == 0);
}

TEST_CASE("harness: a child killed by a signal is reported as such", "[cli][harness]") {
  const auto r = run_process({"/bin/sh", "-c", "kill -SEGV $$"});
  CHECK_FALSE(r.exited);
  CHECK(r.signal == SIGSEGV);
}

TEST_CASE("harness: a child past its deadline is killed and reported", "[cli][harness]") {
  const auto started = std::chrono::steady_clock::now();
  const auto r =
      run_process({"/bin/sh", "-c", "exec sleep 60"}, {}, std::chrono::milliseconds(300));
  CHECK(r.timed_out);
  CHECK_FALSE(r.exited);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
}
