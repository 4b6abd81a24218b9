// The chathooks program: dispatches `chathooks <command> ...` to the subcommand's file, and
// answers --help and --version itself. The contract (exit statuses, stdout versus stderr) is
// docs/cli.md.
#include <fmt/format.h>

#include <array>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/version.hpp"
#include "commands.hpp"
#include "io.hpp"

namespace {

using chathooks_cli::kExitFailure;

struct Command {
  std::string_view name;
  std::string_view synopsis;
  std::string_view summary;
  int (*run)(const std::vector<std::string>& args);
};

constexpr std::array<Command, 8> kCommands{{
    {"validate", "validate KIND [FILE]",
     "decode a payload, re-encode it, print compact JSON on one line", chathooks_cli::run_validate},
    {"sign", "sign ... [FILE]", "print the Standard Webhooks signature of a payload",
     chathooks_cli::run_sign},
    {"verify", "verify ... [FILE]", "check a Standard Webhooks signature, print ok",
     chathooks_cli::run_verify},
    {"send", "send KIND URL [FILE]", "POST a payload with retries, print the decoded answer",
     chathooks_cli::run_send},
    {"serve", "serve KIND [--port P]", "receive webhooks over HTTP, print each accepted payload",
     chathooks_cli::run_serve},
    {"outbox", "outbox add|run|status", "durable delivery: store payloads, deliver them, count",
     chathooks_cli::run_outbox},
    {"keygen", "keygen [--ed25519]", "print a new signing secret (or an Ed25519 key pair)",
     chathooks_cli::run_keygen},
    {"demo", "demo", "run the SDK end to end on loopback and show what happens",
     chathooks_cli::run_demo},
}};

std::string top_usage() {
  std::string out =
      "usage: chathooks <command> [arguments]\n"
      "       chathooks --help | --version\n"
      "\n"
      "Commands:\n";
  for (const Command& command : kCommands) {
    out += fmt::format("  {:<22} {}\n", command.synopsis, command.summary);
  }
  out +=
      "\n"
      "FILE is a path, or - (the default) for standard input.\n"
      "Run 'chathooks <command> --help' for the details of one command.\n"
      "Exit status: 0 success; 1 bad input or remote side (the reason on stderr); 2 usage "
      "error.\n";
  return out;
}

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + (argc > 0 ? argc : 0));
  if (args.empty()) return chathooks_cli::usage_error("missing command", top_usage());
  const std::string& first = args.front();
  if (first == "--help" || first == "-h" || first == "help") {
    if (args.size() > 1) {
      return chathooks_cli::usage_error("unexpected argument " + args[1], top_usage());
    }
    return chathooks_cli::print_help(top_usage());
  }
  if (first == "--version") {
    if (args.size() > 1) {
      return chathooks_cli::usage_error("unexpected argument " + args[1], top_usage());
    }
    return chathooks_cli::print_stdout_line(std::string("chathooks ") + chathooks::version_string)
               ? chathooks_cli::kExitOk
               : kExitFailure;
  }
  for (const Command& command : kCommands) {
    if (command.name == first) {
      args.erase(args.begin());
      return command.run(args);
    }
  }
  const bool looks_like_flag = !first.empty() && first[0] == '-';
  return chathooks_cli::usage_error(
      (looks_like_flag ? "unknown flag " : "unknown command ") + first, top_usage());
}

}  // namespace

int main(int argc, char** argv) {
  // Bad input is reported through Result values; an exception here is a bug or an exhausted
  // allocator, and still gets one diagnostic line instead of std::terminate's abort.
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    chathooks_cli::print_error(std::string("internal error: ") + e.what());
  } catch (...) {
    chathooks_cli::print_error("internal error");
  }
  return kExitFailure;
}
