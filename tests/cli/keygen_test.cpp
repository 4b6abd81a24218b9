// Tests of `chathooks keygen` against docs/cli.md: the built binary run as a child process. A
// secret is whsec_ and the base64 of the asked number of random bytes; an Ed25519 pair is two
// lines whose keys sign and verify through the CLI itself; usage errors exit 2.
#include <cstddef>
#include <string>
#include <vector>

#include "catch.hpp"
#include "cli_test_support.hpp"

using chathooks_test::describe;
using chathooks_test::lines;
using chathooks_test::run_cli;

namespace {

// How many bytes a padded standard base64 text decodes to; 0 when it is not such a text.
std::size_t base64_decoded_size(const std::string& text) {
  if (text.empty() || text.size() % 4 != 0) return 0;
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                          (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (c == '=') {
      if (i + 2 < text.size()) return 0;  // '=' only in the last two places
      ++padding;
    } else if (!alphabet || padding > 0) {
      return 0;
    }
  }
  return text.size() / 4 * 3 - padding;
}

// The single stdout line of a successful run.
std::string one_line_of(const std::vector<std::string>& args) {
  const auto r = run_cli(args);
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto out = lines(r.out);
  REQUIRE(out.size() == 1);
  return out[0];
}

}  // namespace

TEST_CASE("keygen prints a whsec_ secret of 32 random bytes by default", "[cli][keygen]") {
  const std::string first = one_line_of({"keygen"});
  REQUIRE(first.rfind("whsec_", 0) == 0);
  CHECK(base64_decoded_size(first.substr(6)) == 32);
  // Random: two runs differ.
  CHECK(one_line_of({"keygen"}) != first);
}

TEST_CASE("keygen --bytes N takes 24 to 64", "[cli][keygen]") {
  for (const std::size_t bytes : {24u, 48u, 64u}) {
    const std::string secret = one_line_of({"keygen", "--bytes", std::to_string(bytes)});
    REQUIRE(secret.rfind("whsec_", 0) == 0);
    CHECK(base64_decoded_size(secret.substr(6)) == bytes);
  }
  for (const char* bad : {"23", "65", "0", "-32", "32x", "", "1e2"}) {
    const auto r = run_cli({"keygen", "--bytes", bad});
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("--bytes must be a whole number from 24 to 64") != std::string::npos);
  }
}

TEST_CASE("a keygen secret signs and verifies through the CLI", "[cli][keygen]") {
  const std::string secret = one_line_of({"keygen"});
  const std::string signature =
      one_line_of({"sign", "--secret", secret, "--id", "msg_1", "--timestamp", "1700000000"});
  const auto r = run_cli({"verify", "--secret", secret, "--id", "msg_1", "--timestamp",
                          "1700000000", "--now", "1700000000", "--signature", signature});
  INFO(describe(r));
  CHECK(r.exit_code == 0);
  CHECK(r.out == "ok\n");
}

TEST_CASE("keygen --ed25519 prints a whsk_ key and its whpk_ public key", "[cli][keygen]") {
  const auto r = run_cli({"keygen", "--ed25519"});
  INFO(describe(r));
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto out = lines(r.out);
  REQUIRE(out.size() == 2);
  REQUIRE(out[0].rfind("whsk_", 0) == 0);
  REQUIRE(out[1].rfind("whpk_", 0) == 0);
  CHECK(base64_decoded_size(out[0].substr(5)) == 32);
  CHECK(base64_decoded_size(out[1].substr(5)) == 32);

  // The public key verifies what the signing key signed, and only that.
  const auto signed_run =
      run_cli({"sign", "--secret", out[0], "--id", "msg_2", "--timestamp", "1700000000"}, "{}");
  REQUIRE(signed_run.exit_code == 0);
  const std::string signature = lines(signed_run.out).at(0);
  CHECK(signature.rfind("v1a,", 0) == 0);
  const std::vector<std::string> verify = {"verify",     "--secret",    out[1],       "--id",
                                           "msg_2",      "--timestamp", "1700000000", "--now",
                                           "1700000000", "--signature", signature};
  const auto ok = run_cli(verify, "{}");
  INFO(describe(ok));
  CHECK(ok.exit_code == 0);
  const auto tampered = run_cli(verify, "{ }");
  CHECK(tampered.exit_code == 1);
  CHECK(tampered.err.find("signature_mismatch") != std::string::npos);
}

TEST_CASE("keygen usage errors exit 2", "[cli][keygen]") {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"keygen", "extra"},
        std::vector<std::string>{"keygen", "--ed25519", "--bytes", "32"},
        std::vector<std::string>{"keygen", "--unknown"}}) {
    const auto r = run_cli(args);
    INFO(describe(r));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("usage: chathooks keygen") != std::string::npos);
  }
  const auto help = run_cli({"keygen", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("usage: chathooks keygen") != std::string::npos);
}
