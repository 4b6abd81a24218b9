// `chathooks sign --secret SECRET --id MSG_ID --timestamp UNIX [FILE]`: prints the Standard
// Webhooks `webhook-signature` value for the raw bytes of FILE (or standard input), exactly as
// read: no newline added or stripped.
#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <optional>

#include "args.hpp"
#include "chathooks/json.hpp"
#include "chathooks/signing/signer.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace chathooks_cli {
namespace {

const char* const kSignUsage =
    "usage: chathooks sign --secret SECRET [--secret SECRET ...] --id MSG_ID --timestamp UNIX\n"
    "                      [FILE]\n"
    "\n"
    "Prints the Standard Webhooks webhook-signature value for the raw bytes of FILE (standard\n"
    "input when FILE is omitted or -), signed over \"MSG_ID.UNIX.<bytes>\". The bytes are used\n"
    "exactly as read: a trailing newline in the file is part of the body.\n"
    "\n"
    "  --secret SECRET   whsec_<base64> or bare base64 (v1, HMAC-SHA256), or whsk_<base64>\n"
    "                    (v1a, Ed25519). Repeat it to sign with several keys (rotation): one\n"
    "                    space-separated signature per key, in order.\n"
    "  --id MSG_ID       the webhook-id value (not empty)\n"
    "  --timestamp UNIX  the webhook-timestamp value: Unix seconds, digits only\n"
    "\n"
    "Exit status: 0 signed; 1 invalid secret ('error: invalid_secret: <reason>' on stderr,\n"
    "never showing the secret) or unreadable input ('error: <reason>'); 2 usage error.\n";

// Unix seconds as the Standard Webhooks header carries them: ASCII digits only, within int64.
std::optional<std::int64_t> parse_unix_seconds(std::string_view text) {
  const auto value =
      parse_digits(text, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  if (!value) return std::nullopt;
  return static_cast<std::int64_t>(*value);
}

}  // namespace

int run_sign(const std::vector<std::string>& args) {
  const auto parsed = parse_args(args, {{"secret", true, true}, {"id"}, {"timestamp"}});
  if (!parsed) return usage_error(parsed.error().message(), kSignUsage);
  if (parsed->help) return print_help(kSignUsage);

  std::vector<std::string> secrets = parsed->values("secret");
  if (secrets.empty()) return usage_error("missing --secret", kSignUsage);
  const auto id = parsed->value("id");
  if (!id) return usage_error("missing --id", kSignUsage);
  if (id->empty()) return usage_error("--id must not be empty", kSignUsage);
  const auto timestamp_text = parsed->value("timestamp");
  if (!timestamp_text) return usage_error("missing --timestamp", kSignUsage);
  const auto timestamp = parse_unix_seconds(*timestamp_text);
  if (!timestamp) {
    return usage_error("--timestamp must be Unix seconds: ASCII digits only", kSignUsage);
  }
  const auto& positionals = parsed->positionals;
  if (positionals.size() > 1)
    return usage_error("unexpected argument " + positionals[1], kSignUsage);
  const std::string path = positionals.empty() ? std::string("-") : positionals[0];

  const auto signer = chathooks::signing::Signer::create(std::move(secrets));
  if (!signer) {
    // The library's message names the key by position and never contains it.
    print_error(fmt::format("{}: {}", chathooks::to_string(signer.error().code()),
                            signer.error().message()));
    return kExitFailure;
  }
  const auto body = read_input(path, chathooks::ParseOptions().max_bytes);
  if (!body) {
    print_error(body.error().message());
    return kExitFailure;
  }
  return print_stdout_line(signer->sign(*id, *timestamp, *body)) ? kExitOk : kExitFailure;
}

}  // namespace chathooks_cli
