// `chathooks verify --secret SECRET [--secret OLD ...] --id MSG_ID --timestamp UNIX
//  --signature HEADER_VALUE [--now UNIX] [--tolerance SECONDS] [FILE]`: checks a Standard
// Webhooks signature over the raw bytes of FILE (or standard input) and prints `ok`, or the
// reason on stderr.
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "args.hpp"
#include "chathooks/json.hpp"
#include "chathooks/signing/verifier.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace chathooks_cli {
namespace {

const char* const kVerifyUsage =
    "usage: chathooks verify --secret SECRET [--secret OLD ...] --id MSG_ID --timestamp UNIX\n"
    "                        --signature HEADER_VALUE [--now UNIX] [--tolerance SECONDS] [FILE]\n"
    "\n"
    "Checks the Standard Webhooks signature of the raw bytes of FILE (standard input when FILE\n"
    "is omitted or -) and prints 'ok' when one signature in HEADER_VALUE matches one secret and\n"
    "the timestamp is within the tolerance of now.\n"
    "\n"
    "  --secret SECRET          whsec_<base64> or bare base64 (v1), or whpk_<base64> (v1a\n"
    "                           Ed25519 public key); repeat it for rotation: any may match\n"
    "  --id MSG_ID              the received webhook-id value\n"
    "  --timestamp UNIX         the received webhook-timestamp value (checked: digits only)\n"
    "  --signature HEADER_VALUE the received webhook-signature value (space-separated v1,...\n"
    "                           and v1a,... entries)\n"
    "  --now UNIX               the time to check against (default: the system clock)\n"
    "  --tolerance SECONDS      the largest distance from now, past or future (default 300)\n"
    "\n"
    "Exit status: 0 verified ('ok' on stdout); 1 not verified or invalid secret\n"
    "('error: <code>: <reason>' on stderr, code one of invalid_signature_header,\n"
    "timestamp_out_of_range, signature_mismatch, invalid_secret) or unreadable input\n"
    "('error: <reason>'); 2 usage error.\n";

// A non-negative number of seconds: ASCII digits only, at most `max`.
std::optional<std::int64_t> parse_seconds(
    std::string_view text, std::int64_t max = std::numeric_limits<std::int64_t>::max()) {
  const auto value = parse_digits(text, static_cast<std::uint64_t>(max));
  if (!value) return std::nullopt;
  return static_cast<std::int64_t>(*value);
}

// The latest Unix second the system clock can hold (year 2262 with a nanosecond clock).
constexpr std::int64_t kMaxNow = static_cast<std::int64_t>(
    std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max())
        .count());

void print_code_error(const chathooks::Error& error) {
  print_error(fmt::format("{}: {}", chathooks::to_string(error.code()), error.message()));
}

}  // namespace

int run_verify(const std::vector<std::string>& args) {
  const auto parsed = parse_args(
      args, {{"secret", true, true}, {"id"}, {"timestamp"}, {"signature"}, {"now"}, {"tolerance"}});
  if (!parsed) return usage_error(parsed.error().message(), kVerifyUsage);
  if (parsed->help) return print_help(kVerifyUsage);

  std::vector<std::string> secrets = parsed->values("secret");
  if (secrets.empty()) return usage_error("missing --secret", kVerifyUsage);
  // The id, timestamp and signature are the received values under test: they go to the
  // verifier as given, and a malformed one is a verification failure (exit 1), not a usage error.
  const auto id = parsed->value("id");
  if (!id) return usage_error("missing --id", kVerifyUsage);
  const auto timestamp = parsed->value("timestamp");
  if (!timestamp) return usage_error("missing --timestamp", kVerifyUsage);
  const auto signature = parsed->value("signature");
  if (!signature) return usage_error("missing --signature", kVerifyUsage);

  std::optional<std::chrono::system_clock::time_point> now;
  if (const auto now_text = parsed->value("now")) {
    if (!parse_seconds(*now_text)) {
      return usage_error("--now must be Unix seconds: ASCII digits only", kVerifyUsage);
    }
    const auto seconds = parse_seconds(*now_text, kMaxNow);
    if (!seconds) {
      return usage_error(
          "--now must be at most " + std::to_string(kMaxNow) + " (the system clock's range)",
          kVerifyUsage);
    }
    now = std::chrono::system_clock::time_point(std::chrono::seconds(*seconds));
  }
  chathooks::signing::VerifierOptions options;
  if (const auto tolerance_text = parsed->value("tolerance")) {
    const auto tolerance = parse_seconds(*tolerance_text);
    if (!tolerance) {
      return usage_error("--tolerance must be a number of seconds: ASCII digits only",
                         kVerifyUsage);
    }
    options.tolerance = std::chrono::seconds(*tolerance);
  }
  const auto& positionals = parsed->positionals;
  if (positionals.size() > 1) {
    return usage_error("unexpected argument " + positionals[1], kVerifyUsage);
  }
  const std::string path = positionals.empty() ? std::string("-") : positionals[0];

  const auto verifier = chathooks::signing::Verifier::create(std::move(secrets), options);
  if (!verifier) {
    print_code_error(verifier.error());
    return kExitFailure;
  }
  const auto body = read_input(path, chathooks::ParseOptions().max_bytes);
  if (!body) {
    print_error(body.error().message());
    return kExitFailure;
  }
  const auto verified = now ? verifier->verify(*id, *timestamp, *signature, *body, *now)
                            : verifier->verify(*id, *timestamp, *signature, *body);
  if (!verified) {
    print_code_error(verified.error());
    return kExitFailure;
  }
  return print_stdout_line("ok") ? kExitOk : kExitFailure;
}

}  // namespace chathooks_cli
