// `chathooks keygen [--bytes N]` and `chathooks keygen --ed25519`: prints a new Standard
// Webhooks secret (`whsec_...`), or a new Ed25519 signing key (`whsk_...`) and, on the next
// line, its public key (`whpk_...`). The keys come from OpenSSL's CSPRNG and go to stdout only.
#include <fmt/format.h>

#include <cstddef>
#include <cstdint>

#include "args.hpp"
#include "chathooks/signing/keys.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace chathooks_cli {
namespace {

constexpr std::uint64_t kMinSecretBytes = 24;
constexpr std::uint64_t kMaxSecretBytes = 64;
constexpr std::uint64_t kDefaultSecretBytes = 32;

const char* const kKeygenUsage =
    "usage: chathooks keygen [--bytes N]\n"
    "       chathooks keygen --ed25519\n"
    "\n"
    "Prints a new random Standard Webhooks secret for v1 (HMAC-SHA256) signatures:\n"
    "whsec_<base64 of N random bytes>. Give it to both sides (chathooks send/serve --secret).\n"
    "\n"
    "  --bytes N    random bytes in the secret, 24 to 64 (default 32)\n"
    "  --ed25519    print a v1a (Ed25519) key pair instead, on two lines: the signing key\n"
    "               whsk_<base64> (keep it on the sending side), then its public key\n"
    "               whpk_<base64> (for the receiving side's verifier)\n"
    "\n"
    "Exit status: 0 printed; 1 no key could be made ('error: <code>: <reason>'); 2 usage\n"
    "error.\n";

// The library's error as the last stderr line; it never holds key material.
int key_error(const chathooks::Error& error) {
  print_error(fmt::format("{}: {}", chathooks::to_string(error.code()), error.message()));
  return kExitFailure;
}

}  // namespace

int run_keygen(const std::vector<std::string>& args) {
  const auto parsed = parse_args(args, {{"bytes"}, {"ed25519", false}});
  if (!parsed) return usage_error(parsed.error().message(), kKeygenUsage);
  if (parsed->help) return print_help(kKeygenUsage);
  if (!parsed->positionals.empty())
    return usage_error("unexpected argument " + parsed->positionals[0], kKeygenUsage);

  if (parsed->has("ed25519")) {
    if (parsed->has("bytes"))
      return usage_error("--bytes applies to whsec_ secrets, not to --ed25519", kKeygenUsage);
    const auto pair = chathooks::signing::generate_ed25519_keypair();
    if (!pair) return key_error(pair.error());
    return print_stdout_line(pair->secret_key) && print_stdout_line(pair->public_key)
               ? kExitOk
               : kExitFailure;
  }

  std::uint64_t bytes = kDefaultSecretBytes;
  if (const auto text = parsed->value("bytes")) {
    const auto value = parse_digits(*text, kMaxSecretBytes);
    if (!value || *value < kMinSecretBytes) {
      return usage_error(fmt::format("--bytes must be a whole number from {} to {}",
                                     kMinSecretBytes, kMaxSecretBytes),
                         kKeygenUsage);
    }
    bytes = *value;
  }
  const auto secret = chathooks::signing::generate_secret(static_cast<std::size_t>(bytes));
  if (!secret) return key_error(secret.error());
  return print_stdout_line(*secret) ? kExitOk : kExitFailure;
}

}  // namespace chathooks_cli
