// `chathooks validate KIND [FILE]`: decodes the payload into the SDK's typed model, re-encodes
// it and prints compact JSON on one line; a payload the SDK rejects is reported with the JSON
// Pointer of the member at fault.
#include <fmt/format.h>

#include "args.hpp"
#include "chathooks/json.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "kind.hpp"

namespace chathooks_cli {
namespace {

std::string validate_usage() {
  return fmt::format(
      "usage: chathooks validate KIND [FILE]\n"
      "\n"
      "Decodes the payload in FILE (standard input when FILE is omitted or -) into the SDK's\n"
      "typed model, encodes it again and prints it as compact JSON on one line. The output\n"
      "keeps every member, unknown ones too; absent stays absent, null stays null.\n"
      "\n"
      "KIND: {}\n"
      "\n"
      "Exit status: 0 valid; 1 invalid or unreadable, with 'error: <json-pointer>: <reason>'\n"
      "on stderr; 2 usage error.\n",
      kind_names());
}

}  // namespace

int run_validate(const std::vector<std::string>& args) {
  const auto parsed = parse_args(args, {});
  if (!parsed) return usage_error(parsed.error().message(), validate_usage());
  if (parsed->help) return print_help(validate_usage());

  const auto& positionals = parsed->positionals;
  if (positionals.empty()) return usage_error("missing KIND", validate_usage());
  if (positionals.size() > 2) {
    return usage_error("unexpected argument " + positionals[2], validate_usage());
  }
  const auto kind = parse_kind(positionals[0]);
  if (!kind) return usage_error("unknown KIND " + positionals[0], validate_usage());
  const std::string path = positionals.size() == 2 ? positionals[1] : std::string("-");

  const chathooks::ParseOptions options;
  const auto bytes = read_input(path, options.max_bytes);
  if (!bytes) {
    print_read_error(bytes.error());
    return kExitFailure;
  }
  const auto json = reencode(*kind, *bytes, options);
  if (!json) {
    print_payload_error(json.error());
    return kExitFailure;
  }
  return print_stdout_line(*json) ? kExitOk : kExitFailure;
}

}  // namespace chathooks_cli
