// Tests of `chathooks sign` and `chathooks verify` against docs/cli.md: the built binary run as a
// child process with its exit status, stdout and stderr checked separately. Covers the
// Standard Webhooks reference vector, raw bytes from files and standard input, rotation, v1a,
// every verification failure and every usage error.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "chathooks/signing/keys.hpp"
#include "cli_test_support.hpp"

using namespace chathooks_test;

namespace {

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr const char* kOtherSecret = "whsec_dGhpcyBpcyBhIHNlY29uZCBzZWNyZXQga2V5IQ==";
constexpr const char* kId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr const char* kTimestamp = "1614265330";
constexpr const char* kBody = R"({"test": 2432232314})";
constexpr const char* kSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

// A file in the system's temporary directory holding `bytes`, removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& bytes) {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("chathooks_sign_verify_" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()) + "_" +
              std::to_string(counter++)))
                .string();
    std::ofstream out(path_, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out);
  }
  ~TempFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<std::string> verify_args(const std::string& secret, const std::string& signature,
                                     std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"verify",  "--secret",    secret,     "--id",
                                   kId,       "--timestamp", kTimestamp, "--signature",
                                   signature, "--now",       kTimestamp};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// Success: exit 0, nothing on stderr, exactly `line` and a newline on stdout.
void check_success(const ProcessResult& r, const std::string& line) {
  INFO(describe(r));
  REQUIRE(r.exited);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out == line + "\n");
}

// Usage error: the reason, then the subcommand's usage on stderr.
void check_usage(const ProcessResult& r, const std::string& command, const std::string& reason) {
  check_usage_error(r, "error: " + reason + "\n", "usage: chathooks " + command + " ");
}

}  // namespace

TEST_CASE("sign prints the reference vector's signature, from stdin and from a file",
          "[cli][sign]") {
  const std::vector<std::string> args = {"sign", "--secret",    kSecret,   "--id",
                                         kId,    "--timestamp", kTimestamp};
  check_success(run_cli(args, kBody), kSignature);
  auto with_dash = args;
  with_dash.push_back("-");
  check_success(run_cli(with_dash, kBody), kSignature);
  const TempFile file(kBody);
  auto with_file = args;
  with_file.push_back(file.path());
  check_success(run_cli(with_file), kSignature);
  // --flag=value works as well; a bare base64 secret gives the same signature.
  check_success(run_cli({"sign", "--secret=MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                         "--id=" + std::string(kId), "--timestamp=" + std::string(kTimestamp)},
                        kBody),
                kSignature);
}

TEST_CASE("sign signs the exact bytes: a trailing newline or a NUL changes the signature",
          "[cli][sign]") {
  const std::vector<std::string> args = {"sign", "--secret",    kSecret,   "--id",
                                         kId,    "--timestamp", kTimestamp};
  const auto with_newline = run_cli(args, std::string(kBody) + "\n");
  INFO(describe(with_newline));
  CHECK(with_newline.exit_code == 0);
  CHECK(with_newline.out != std::string(kSignature) + "\n");
  // What sign gives for binary bytes, verify accepts for the same bytes only.
  const std::string binary("\x00\xff\r\n\x01 end", 9);
  const auto signed_binary = run_cli(args, binary);
  REQUIRE(signed_binary.exit_code == 0);
  const std::string header = signed_binary.out.substr(0, signed_binary.out.size() - 1);
  check_success(run_cli(verify_args(kSecret, header), binary), "ok");
  check_failure(run_cli(verify_args(kSecret, header), binary.substr(0, 8)), "signature_mismatch: ");
  // An empty body is a body.
  const auto empty = run_cli(args, "");
  INFO(describe(empty));
  CHECK(empty.exit_code == 0);
  CHECK(empty.out.rfind("v1,", 0) == 0);
}

TEST_CASE("sign with several secrets prints one signature per secret", "[cli][sign]") {
  const auto r = run_cli({"sign", "--secret", kSecret, "--secret", kOtherSecret, "--id", kId,
                          "--timestamp", kTimestamp},
                         kBody);
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind(std::string(kSignature) + " v1,", 0) == 0);
  const std::string header = r.out.substr(0, r.out.size() - 1);
  // Either secret alone verifies the two-signature header.
  check_success(run_cli(verify_args(kSecret, header), kBody), "ok");
  check_success(run_cli(verify_args(kOtherSecret, header), kBody), "ok");
}

TEST_CASE("sign refuses an invalid secret without echoing it", "[cli][sign]") {
  for (const char* secret : {"whsec_not*base64", "", "whsec_", "whpk_AAAA", "whsec_AA=="}) {
    INFO(secret);
    const auto r =
        run_cli({"sign", "--secret", secret, "--id", kId, "--timestamp", kTimestamp}, kBody);
    check_failure(r, "invalid_secret: ");
    const std::string text(secret);
    if (text.size() > 6) CHECK(r.err.find(text.substr(6)) == std::string::npos);
  }
}

TEST_CASE("sign usage errors exit 2", "[cli][sign]") {
  check_usage(run_cli({"sign", "--id", kId, "--timestamp", kTimestamp}, kBody), "sign",
              "missing --secret");
  check_usage(run_cli({"sign", "--secret", kSecret, "--timestamp", kTimestamp}, kBody), "sign",
              "missing --id");
  check_usage(run_cli({"sign", "--secret", kSecret, "--id", kId}, kBody), "sign",
              "missing --timestamp");
  check_usage(run_cli({"sign", "--secret", kSecret, "--id", "", "--timestamp", kTimestamp}, kBody),
              "sign", "--id must not be empty");
  for (const char* timestamp : {"-1", "+5", "1e9", " 1", "", "99999999999999999999", "12x"}) {
    INFO(timestamp);
    check_usage(
        run_cli({"sign", "--secret", kSecret, "--id", kId, "--timestamp", timestamp}, kBody),
        "sign", "--timestamp must be Unix seconds: ASCII digits only");
  }
  check_usage(
      run_cli({"sign", "--secret", kSecret, "--id", kId, "--id", kId, "--timestamp", kTimestamp},
              kBody),
      "sign", "--id given more than once");
  check_usage(
      run_cli({"sign", "--secret", kSecret, "--id", kId, "--timestamp", kTimestamp, "a", "b"}),
      "sign", "unexpected argument b");
  check_usage(run_cli({"sign", "--bogus"}), "sign", "unknown flag --bogus");
  check_usage(run_cli({"sign", "--secret"}), "sign", "--secret needs a value");
}

TEST_CASE("sign and verify answer --help on stdout", "[cli][sign][verify]") {
  for (const char* command : {"sign", "verify"}) {
    const auto r = run_cli({command, "--help"});
    INFO(describe(r));
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CHECK(r.out.rfind(std::string("usage: chathooks ") + command + " --secret SECRET", 0) == 0);
  }
  const auto top = run_cli({"--help"});
  CHECK(top.out.find("sign ... [FILE]") != std::string::npos);
  CHECK(top.out.find("verify ... [FILE]") != std::string::npos);
}

TEST_CASE("sign reports an unreadable file with exit 1", "[cli][sign]") {
  const auto r = run_cli({"sign", "--secret", kSecret, "--id", kId, "--timestamp", kTimestamp,
                          "/nonexistent/chathooks/body.json"});
  check_failure(r, "cannot open /nonexistent/chathooks/body.json: ");
}

TEST_CASE("verify accepts the reference vector, from stdin and from a file", "[cli][verify]") {
  check_success(run_cli(verify_args(kSecret, kSignature), kBody), "ok");
  check_success(run_cli(verify_args(kSecret, kSignature, {"-"}), kBody), "ok");
  const TempFile file(kBody);
  check_success(run_cli(verify_args(kSecret, kSignature, {file.path()})), "ok");
  // Rotation: the right secret second.
  auto args = verify_args(kOtherSecret, kSignature, {"--secret", kSecret});
  check_success(run_cli(args, kBody), "ok");
}

TEST_CASE("verify reports each failure with exit 1 and the reason", "[cli][verify]") {
  check_failure(run_cli(verify_args(kSecret, kSignature), std::string(kBody) + "\n"),
                "signature_mismatch: ");
  check_failure(run_cli(verify_args(kOtherSecret, kSignature), kBody), "signature_mismatch: ");
  check_failure(run_cli(verify_args(kSecret, "v2,abc"), kBody), "invalid_signature_header: ");
  check_failure(run_cli(verify_args(kSecret, "garbage"), kBody), "invalid_signature_header: ");
  check_failure(run_cli(verify_args(kSecret, ""), kBody), "invalid_signature_header: ");
  check_failure(run_cli(verify_args("whsec_%%%%", kSignature), kBody), "invalid_secret: ");
  // A secret under 16 bytes, and the all-zero public key (a point of order 4), are refused.
  check_failure(run_cli(verify_args("whsec_AA==", kSignature), kBody),
                "invalid_secret: key 1: a v1 secret must have at least 16 bytes");
  check_failure(
      run_cli(verify_args("whpk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "v1a,AAAA"), kBody),
      "invalid_secret: key 1: not a usable Ed25519 public key");

  // The received timestamp is data under test: a malformed one is a verification failure.
  auto args = verify_args(kSecret, kSignature);
  args[6] = "+1614265330";
  check_failure(run_cli(args, kBody), "invalid_signature_header: ");
  args[6] = "";
  check_failure(run_cli(args, kBody), "invalid_signature_header: ");
  // So is an empty id.
  args = verify_args(kSecret, kSignature);
  args[4] = "";
  check_failure(run_cli(args, kBody), "invalid_signature_header: ");
}

TEST_CASE("verify checks the tolerance against --now, boundary included", "[cli][verify]") {
  const std::int64_t signed_at = 1614265330;
  auto at = [&](std::int64_t now, std::vector<std::string> more = {}) {
    auto args = verify_args(kSecret, kSignature, std::move(more));
    args[10] = std::to_string(now);
    return run_cli(args, kBody);
  };
  check_success(at(signed_at + 300), "ok");
  check_success(at(signed_at - 300), "ok");
  check_failure(at(signed_at + 301), "timestamp_out_of_range: ");
  check_failure(at(signed_at - 301), "timestamp_out_of_range: ");
  check_success(at(signed_at + 1000, {"--tolerance", "1000"}), "ok");
  check_failure(at(signed_at + 1001, {"--tolerance", "1000"}), "timestamp_out_of_range: ");
  check_failure(at(signed_at + 1, {"--tolerance", "0"}), "timestamp_out_of_range: ");
}

TEST_CASE("verify without --now uses the clock", "[cli][verify]") {
  // The reference vector is from 2021: far outside the default tolerance today.
  const auto stale = run_cli({"verify", "--secret", kSecret, "--id", kId, "--timestamp", kTimestamp,
                              "--signature", kSignature},
                             kBody);
  check_failure(stale, "timestamp_out_of_range: ");
  // Signed now, verified now.
  const std::string now = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  const auto signed_now =
      run_cli({"sign", "--secret", kSecret, "--id", kId, "--timestamp", now}, kBody);
  REQUIRE(signed_now.exit_code == 0);
  const std::string header = signed_now.out.substr(0, signed_now.out.size() - 1);
  check_success(run_cli({"verify", "--secret", kSecret, "--id", kId, "--timestamp", now,
                         "--signature", header},
                        kBody),
                "ok");
}

TEST_CASE("verify usage errors exit 2", "[cli][verify]") {
  const std::vector<std::string> full = verify_args(kSecret, kSignature);
  // Dropping each required flag (and its value) is a usage error naming it.
  const std::vector<std::pair<std::size_t, std::string>> required = {{1, "missing --secret"},
                                                                     {3, "missing --id"},
                                                                     {5, "missing --timestamp"},
                                                                     {7, "missing --signature"}};
  for (const auto& [index, reason] : required) {
    auto args = full;
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(index),
               args.begin() + static_cast<std::ptrdiff_t>(index) + 2);
    check_usage(run_cli(args, kBody), "verify", reason);
  }
  for (const char* now : {"-5", "soon", "", "1.5"}) {
    INFO(now);
    auto args = full;
    args[10] = now;
    check_usage(run_cli(args, kBody), "verify", "--now must be Unix seconds: ASCII digits only");
  }
  {
    // Beyond what std::chrono::system_clock holds (the year 2262), but within int64.
    auto args = full;
    args[10] = "9223372037";
    check_usage(run_cli(args, kBody), "verify",
                "--now must be at most 9223372036 (the system clock's range)");
  }
  for (const char* tolerance : {"-1", "5m", ""}) {
    INFO(tolerance);
    check_usage(run_cli(verify_args(kSecret, kSignature, {"--tolerance", tolerance}), kBody),
                "verify", "--tolerance must be a number of seconds: ASCII digits only");
  }
  check_usage(run_cli(verify_args(kSecret, kSignature, {"--signature", kSignature}), kBody),
              "verify", "--signature given more than once");
  check_usage(run_cli(verify_args(kSecret, kSignature, {"a", "b"})), "verify",
              "unexpected argument b");
}

TEST_CASE("v1a through the CLI: sign with whsk_, verify with whpk_", "[cli][sign][verify]") {
  const auto pair = chathooks::signing::generate_ed25519_keypair();
  REQUIRE(pair);
  const auto r = run_cli(
      {"sign", "--secret", pair->secret_key, "--id", kId, "--timestamp", kTimestamp}, kBody);
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("v1a,", 0) == 0);
  const std::string header = r.out.substr(0, r.out.size() - 1);
  check_success(run_cli(verify_args(pair->public_key, header), kBody), "ok");
  check_failure(run_cli(verify_args(pair->public_key, header), "other"), "signature_mismatch: ");
  // The secret key never shows in what the program prints.
  CHECK(r.out.find(pair->secret_key.substr(5)) == std::string::npos);
}
