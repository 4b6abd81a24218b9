// `chathooks validate KIND [FILE] [--tolerant]`: decodes the payload into the SDK's typed model,
// re-encodes it and prints compact JSON on one line; a payload the SDK rejects is reported with
// the JSON Pointer of the member at fault. With --tolerant, a known member of an unexpected type
// or format is kept as it came and reported as a warning instead (DecodeMode::tolerant).
#include <fmt/format.h>

#include <vector>

#include "args.hpp"
#include "chathooks/json.hpp"
#include "commands.hpp"
#include "io.hpp"
#include "kind.hpp"

namespace chathooks_cli {
namespace {

std::string validate_usage() {
  return fmt::format(
      "usage: chathooks validate KIND [FILE] [--tolerant]\n"
      "\n"
      "Decodes the payload in FILE (standard input when FILE is omitted or -) into the SDK's\n"
      "typed model, encodes it again and prints it as compact JSON on one line. The output is\n"
      "the input, compacted: every member kept, unknown ones too, in the order they came;\n"
      "absent stays absent, null stays null, each number spelled as it came.\n"
      "\n"
      "KIND: {}\n"
      "\n"
      "  --tolerant   a known member whose value has an unexpected type or format is kept as it\n"
      "               came (and printed unchanged) with 'warning: <json-pointer>: <reason>' on\n"
      "               stderr, instead of failing. Malformed JSON, the size and depth limits,\n"
      "               duplicate members and a root that is not an object still fail\n"
      "\n"
      "Exit status: 0 valid (with --tolerant, also when warnings were printed); 1 invalid or\n"
      "unreadable, with 'error: <json-pointer>: <reason>' on stderr; 2 usage error.\n",
      kind_names());
}

}  // namespace

int run_validate(const std::vector<std::string>& args) {
  const auto parsed = parse_args(args, {{"tolerant", false}});
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

  chathooks::ParseOptions options;
  if (parsed->has("tolerant")) options.mode = chathooks::DecodeMode::tolerant;
  const auto bytes = read_input(path, options.max_bytes);
  if (!bytes) {
    print_read_error(bytes.error());
    return kExitFailure;
  }
  std::vector<chathooks::DecodeWarning> warnings;
  const auto json = reencode(*kind, *bytes, options, &warnings);
  if (!json) {
    print_payload_error(json.error());
    return kExitFailure;
  }
  print_warnings(warnings);
  return print_stdout_line(*json) ? kExitOk : kExitFailure;
}

}  // namespace chathooks_cli
