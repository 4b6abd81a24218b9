// Process exit with asynchronous deliveries pending: exit_helper (a program of its own, run as a
// child process) starts three deliveries against receivers that this test runs on 127.0.0.1,
// and returns from main with one on the wire to a receiver that holds it and one waiting for its
// retry timer: every delivery still gets exactly one outcome (the pending two cancelled, from the
// destructors). With drain() before returning, all three are delivered.
// Concurrency tests (ctest label "concurrency"): run under TSan as well as ASan.
#include <algorithm>
#include <chrono>
#include <string>

#include "catch.hpp"
#include "cli/subprocess.hpp"
#include "delivery/drain_support.hpp"

using chathooks_test::describe;
using chathooks_test::Receivers;
using chathooks_test::run_process;

namespace {

/// How many lines of `text` are exactly `line`.
int count_lines(const std::string& text, const std::string& line) {
  int count = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.compare(start, end - start, line) == 0) ++count;
    start = end + 1;
  }
  return count;
}

}  // namespace

TEST_CASE("Returning from main with deliveries pending gives every one its outcome",
          "[concurrency]") {
  Receivers receivers;
  const auto result = run_process({CHATHOOKS_EXIT_HELPER_PATH, "return", receivers.url("/slow"),
                                   receivers.url("/busy"), receivers.url("/ok")},
                                  {}, std::chrono::minutes(2));
  INFO(describe(result));
  REQUIRE(result.exited);
  CHECK(result.exit_code == 0);
  CHECK(count_lines(result.out, "delivery 0: cancelled") == 1);  // On the wire, held.
  CHECK(count_lines(result.out, "delivery 1: cancelled") == 1);  // Waiting to retry.
  CHECK(count_lines(result.out, "delivery 2: delivered") == 1);
  CHECK(count_lines(result.out, "") == 0);
  CHECK(std::count(result.out.begin(), result.out.end(), '\n') == 3);  // Nothing else, no twice.
  receivers.release();
}

TEST_CASE("drain before returning from main delivers every pending delivery", "[concurrency]") {
  Receivers receivers;
  const auto result = run_process({CHATHOOKS_EXIT_HELPER_PATH, "drain", receivers.url("/flaky"),
                                   receivers.url("/ok"), receivers.url("/ok")},
                                  {}, std::chrono::minutes(2));
  INFO(describe(result));
  REQUIRE(result.exited);
  CHECK(result.exit_code == 0);
  for (int i = 0; i < 3; ++i) {
    CHECK(count_lines(result.out, "delivery " + std::to_string(i) + ": delivered") == 1);
  }
  CHECK(std::count(result.out.begin(), result.out.end(), '\n') == 3);
  CHECK(result.err.find("drain cancelled 0") != std::string::npos);
}
