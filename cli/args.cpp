// Command-line parsing shared by the subcommands.
#include "args.hpp"

#include <algorithm>
#include <charconv>

namespace chathooks_cli {
namespace {

using chathooks::Errc;
using chathooks::Error;

const FlagSpec* find_spec(const std::vector<FlagSpec>& specs, std::string_view name) {
  const auto it = std::find_if(specs.begin(), specs.end(),
                               [name](const FlagSpec& spec) { return spec.name == name; });
  return it == specs.end() ? nullptr : &*it;
}

}  // namespace

bool ParsedArgs::has(std::string_view name) const {
  return std::any_of(flags_.begin(), flags_.end(),
                     [name](const auto& flag) { return flag.first == name; });
}

std::optional<std::string> ParsedArgs::value(std::string_view name) const {
  for (const auto& flag : flags_) {
    if (flag.first == name) return flag.second;
  }
  return std::nullopt;
}

std::vector<std::string> ParsedArgs::values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& flag : flags_) {
    if (flag.first == name) out.push_back(flag.second);
  }
  return out;
}

void ParsedArgs::add(std::string_view name, std::string value) {
  flags_.emplace_back(std::string(name), std::move(value));
}

chathooks::Result<ParsedArgs> parse_args(const std::vector<std::string>& args,
                                         const std::vector<FlagSpec>& specs) {
  ParsedArgs out;
  bool flags_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    // "-" names standard input; "--" makes every later word positional, so that a file named
    // "-x" can still be given.
    if (flags_ended || arg.size() < 2 || arg[0] != '-') {
      out.positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      out.help = true;
      continue;
    }
    if (arg.compare(0, 2, "--") != 0) {
      return Error(Errc::invalid_argument, "unknown flag " + arg);
    }
    std::string_view name(arg);
    name.remove_prefix(2);
    std::optional<std::string> inline_value;
    if (const auto eq = name.find('='); eq != std::string_view::npos) {
      inline_value = std::string(name.substr(eq + 1));
      name = name.substr(0, eq);
    }
    const FlagSpec* spec = find_spec(specs, name);
    if (spec == nullptr) {
      return Error(Errc::invalid_argument, "unknown flag --" + std::string(name));
    }
    if (!spec->repeatable && out.has(name)) {
      return Error(Errc::invalid_argument, "--" + std::string(name) + " given more than once");
    }
    if (!spec->takes_value) {
      if (inline_value) {
        return Error(Errc::invalid_argument, "--" + std::string(name) + " takes no value");
      }
      out.add(name, std::string());
      continue;
    }
    if (inline_value) {
      out.add(name, std::move(*inline_value));
      continue;
    }
    if (i + 1 >= args.size()) {
      return Error(Errc::invalid_argument, "--" + std::string(name) + " needs a value");
    }
    out.add(name, args[++i]);
  }
  return out;
}

std::optional<std::uint64_t> parse_digits(std::string_view text, std::uint64_t max) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value > max) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> parse_count(std::string_view text, std::uint64_t max) {
  const auto value = parse_digits(text, max);
  if (!value || *value < 1) return std::nullopt;
  return value;
}

bool is_http_url(std::string_view url) {
  auto starts_with = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      char c = url[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != prefix[i]) return false;
    }
    return true;
  };
  return starts_with("http://") || starts_with("https://");
}

}  // namespace chathooks_cli
