// The chathooks program's subcommands: one entry point per subcommand, each in its own file.
// Each takes the words after its name, writes the contract's stdout and stderr, and returns the
// process exit status (io.hpp: kExitOk, kExitFailure, kExitUsage).
// Thread-safety: each uses the process's standard streams; run one at a time.
#pragma once

#include <string>
#include <vector>

namespace chathooks_cli {

/// `chathooks validate KIND [FILE] [--tolerant]`: decode, re-encode, print compact JSON
/// (validate.cpp).
int run_validate(const std::vector<std::string>& args);

/// `chathooks sign --secret SECRET --id MSG_ID --timestamp UNIX [FILE]`: print the
/// webhook-signature value for the raw bytes (sign.cpp).
int run_sign(const std::vector<std::string>& args);

/// `chathooks verify --secret SECRET [--secret OLD ...] --id MSG_ID --timestamp UNIX
/// --signature HEADER_VALUE [--now UNIX] [--tolerance SECONDS] [FILE]`: check a signature and
/// print `ok` (verify.cpp).
int run_verify(const std::vector<std::string>& args);

/// `chathooks send KIND URL [FILE] [--secret SECRET] [--timeout-ms N] [--attempts N]
/// [--max-response-bytes N] [--allow-private-addresses]`: POST a request payload through the
/// SDK's client and delivery policy, print the decoded answer (send.cpp).
int run_send(const std::vector<std::string>& args);

/// `chathooks serve KIND [--port P] [--bind ADDR] [--secret SECRET] [--reply FILE] [--store
/// STORE] [--claim-timeout S] [--strict]`: an HTTP receiver for one request kind, printing each
/// accepted payload (serve.cpp).
int run_serve(const std::vector<std::string>& args);

/// `chathooks keygen [--bytes N]` or `chathooks keygen --ed25519`: print a new whsec_ secret,
/// or a whsk_ signing key and its whpk_ public key on two lines (keygen.cpp).
int run_keygen(const std::vector<std::string>& args);

/// `chathooks outbox add|run|status|retry-dead --store STORE ...`: durable delivery through
/// the SDK's outbox (outbox.cpp).
int run_outbox(const std::vector<std::string>& args);

/// `chathooks demo`: the whole SDK end to end on loopback, with a readable trace (demo.cpp).
int run_demo(const std::vector<std::string>& args);

}  // namespace chathooks_cli
