// Shared helpers of the CLI tests: where the built `chathooks` binary and the test vectors are,
// running the binary with arguments and stdin bytes, reading what it printed, and the checks of
// its failure and usage-error forms.
// Thread-safety: plain functions over the file system and child processes.
#pragma once

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "chathooks/json.hpp"
#include "subprocess.hpp"

namespace chathooks_test {

/// The absolute path of a file in tests/data.
inline std::string data_path(std::string_view name) {
  return std::string(CHATHOOKS_TEST_DATA_DIR) + "/" + std::string(name);
}

/// Every byte of a file; throws when it cannot be read (a broken test setup, not a result).
inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Runs the built `chathooks` with `args`, writing `input` to its stdin.
inline ProcessResult run_cli(std::vector<std::string> args, std::string_view input = {}) {
  args.insert(args.begin(), CHATHOOKS_CLI_PATH);
  return run_process(args, input);
}

/// Number of '\n' in `text`.
inline std::size_t count_lines(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += c == '\n' ? 1 : 0;
  return n;
}

/// The lines of `text`, without their newlines.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      out.push_back(text.substr(start));
      break;
    }
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

/// The failure form: exit 1, nothing on stdout, exactly one line on stderr, starting with
/// "error: " and `reason`.
inline void check_failure(const ProcessResult& r, const std::string& reason = "") {
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("error: " + reason, 0) == 0);
  CHECK(count_lines(r.err) == 1);
}

/// The usage-error form: exit 2, nothing on stdout, stderr starting with `opening` ("error: "
/// and the reason) and holding `usage` (the command's usage line, or its start).
inline void check_usage_error(const ProcessResult& r, const std::string& opening,
                              const std::string& usage) {
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind(opening, 0) == 0);
  CHECK(r.err.find(usage) != std::string::npos);
}

/// `text` parsed as JSON; fails the test when it is not.
inline chathooks::Json parse(const std::string& text) {
  auto parsed = chathooks::Json::parse(text);
  INFO(text);
  REQUIRE(parsed.ok());
  return std::move(parsed).value();
}

}  // namespace chathooks_test
