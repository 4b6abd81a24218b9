// The chathooks program's subcommands: one entry point per subcommand, each in its own file.
// Each takes the words after its name, writes the contract's stdout and stderr, and returns the
// process exit status (io.hpp: kExitOk, kExitFailure, kExitUsage).
// Thread-safety: each uses the process's standard streams; run one at a time.
#pragma once

#include <string>
#include <vector>

namespace chathooks_cli {

/// `chathooks validate KIND [FILE]`: decode, re-encode, print compact JSON (validate.cpp).
int run_validate(const std::vector<std::string>& args);

}  // namespace chathooks_cli
