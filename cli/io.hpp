// Input and output of the chathooks program: reading a payload from a file or standard input
// as raw bytes with a size cap, and writing the contract's stdout and stderr lines.
// Thread-safety: these use the process's standard streams; call them from one thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "chathooks/error.hpp"
#include "chathooks/json.hpp"

namespace chathooks_cli {

/// Process exit statuses of the contract: success, bad input or remote side, bad command line.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

/// True when `path` means standard input: "-" (subcommands pass "-" when FILE is omitted).
bool is_stdin_path(std::string_view path);

/// Reads every byte of `path` (standard input when is_stdin_path), unchanged. Reads at most
/// max_bytes + 1 bytes, so an endless or huge input costs bounded memory: more than max_bytes is
/// an Errc::too_large error with an empty pointer (it is about the whole document). A file
/// that cannot be opened or read is an Errc::invalid_argument error naming it, with no pointer.
chathooks::Result<std::string> read_input(const std::string& path, std::size_t max_bytes);

/// `text` made safe for a one-line diagnostic: control characters (a newline in a member name,
/// say) are written as JSON-style escapes, so a reason never spans two lines.
std::string one_line(std::string_view text);

/// Writes "error: <pointer>: <reason>" (the pointer empty for the whole document) and a newline
/// to stderr: the form for errors about a payload.
void print_payload_error(const chathooks::Error& error);

/// "warning: <pointer>: <reason>" for a member a tolerant decode kept as it came (the pointer
/// empty for the whole document), on one line (one_line()), without its newline.
std::string warning_line(const chathooks::DecodeWarning& warning);

/// Writes warning_line() and a newline to stderr for each of `warnings`, in order.
void print_warnings(const std::vector<chathooks::DecodeWarning>& warnings);

/// Writes "error: <reason>" and a newline to stderr: the form for errors that are about no
/// member (an unreadable file, a refused connection).
void print_error(std::string_view reason);
/// Reports a read_input() failure: a too-large input in the payload form ("error: : ..."),
/// anything else as its message.
void print_read_error(const chathooks::Error& error);

/// Writes `line` and a newline to stdout and flushes it. False, after reporting the failure on
/// stderr, when stdout cannot take it (a full disk, a closed descriptor).
bool print_stdout_line(std::string_view line);

/// Writes `line` and a newline to stderr and flushes it (progress lines, as each happens).
void print_stderr_line(std::string_view line);

/// Writes `line` and a newline to standard output's file descriptor directly (no stdio buffer,
/// so a failed write leaves nothing behind to come out later), retrying short writes and
/// EINTR. Returns the errno of a failure (EPIPE needs SIGPIPE ignored), 0 once all is written.
/// One writev() call carries the line and its newline; see stdout_line_is_atomic() for when
/// threads may call it at once without a lock.
int write_stdout_line_unbuffered(std::string_view line);

/// Whether one write_stdout_line_unbuffered(line) lands whole, never interleaved with another
/// thread's, so that callers need no lock: standard output is a pipe or FIFO and the line with
/// its newline fits in PIPE_BUF (POSIX makes such writes atomic), or a regular file or a
/// character device such as a terminal or /dev/null (Linux writes each call whole under the
/// file's or the terminal's lock), short writes aside (a full disk). False for a socket or
/// anything else. Looks at standard output once; thread-safe.
bool stdout_line_is_atomic(std::string_view line);

/// Writes a usage error: "error: <reason>", a blank line and `usage`, to stderr. Returns
/// kExitUsage, so callers can `return usage_error(...)`.
int usage_error(std::string_view reason, std::string_view usage);

/// Writes `usage` to stdout (what --help does). Returns kExitOk, or kExitFailure when stdout
/// cannot take it.
int print_help(std::string_view usage);

}  // namespace chathooks_cli
