// The command line of one chathooks subcommand, parsed against the flags that subcommand
// declares: `--name VALUE` or `--name=VALUE` for flags with values (repeatable ones collect
// every occurrence, as `--secret NEW --secret OLD`), bare switches, `--help`/`-h`, and
// positional arguments (`-` alone is positional: it means standard input). `--` ends the flags.
// Anything else that starts with `-` is a usage error, as is a missing value or a non-repeatable
// flag given twice.
// Thread-safety: plain values and a pure function.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chathooks/error.hpp"

namespace chathooks_cli {

/// One flag a subcommand accepts. `name` is written without the leading dashes.
struct FlagSpec {
  std::string_view name;
  /// True for `--name VALUE`, false for a switch such as `--allow-private-addresses`.
  bool takes_value = true;
  /// True when the flag may be given more than once (each value is kept, in order).
  bool repeatable = false;
};

/// The outcome of parsing: the flags in the order given, and the positional arguments.
class ParsedArgs {
 public:
  /// True when `--help` or `-h` was given: the caller prints its usage and exits 0.
  bool help = false;
  /// Positional arguments in order.
  std::vector<std::string> positionals;

  /// Whether the flag (a switch or a flag with a value) was given at least once.
  bool has(std::string_view name) const;
  /// The value of a non-repeatable flag, or nullopt when it was not given.
  std::optional<std::string> value(std::string_view name) const;
  /// Every value given for the flag, in order (empty when it was not given).
  std::vector<std::string> values(std::string_view name) const;

  /// Records one occurrence (used by parse_args).
  void add(std::string_view name, std::string value);

 private:
  std::vector<std::pair<std::string, std::string>> flags_;
};

/// Parses `args` (the words after the subcommand's name) against `specs`. A usage error is an
/// Error with Errc::invalid_argument and a message for a human ("unknown flag --bogus").
chathooks::Result<ParsedArgs> parse_args(const std::vector<std::string>& args,
                                         const std::vector<FlagSpec>& specs);

/// A whole number written with ASCII digits only (no sign, no spaces) and at most `max`;
/// nullopt otherwise. The CLI's numeric flags all take this form.
std::optional<std::uint64_t> parse_digits(
    std::string_view text, std::uint64_t max = std::numeric_limits<std::uint64_t>::max());

/// parse_digits() for a count that must be at least 1.
std::optional<std::uint64_t> parse_count(std::string_view text, std::uint64_t max);

/// Whether `url` starts with http:// or https:// in any case; the transport checks the rest.
bool is_http_url(std::string_view url);

}  // namespace chathooks_cli
