// Reading payloads and writing the chathooks program's diagnostics.
#include "io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <limits.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

namespace chathooks_cli {
namespace {

using chathooks::Errc;
using chathooks::Error;

struct FileCloser {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};

std::string describe(std::string_view path) {
  return is_stdin_path(path) ? std::string("standard input") : one_line(path);
}

// Writes all of `text` to `file`; false on a short write.
bool write_all(std::FILE* file, std::string_view text) {
  return std::fwrite(text.data(), 1, text.size(), file) == text.size();
}

}  // namespace

bool is_stdin_path(std::string_view path) { return path == "-"; }

chathooks::Result<std::string> read_input(const std::string& path, std::size_t max_bytes) {
  std::unique_ptr<std::FILE, FileCloser> owned;
  std::FILE* file = stdin;
  if (!is_stdin_path(path)) {
    owned.reset(std::fopen(path.c_str(), "rb"));
    if (!owned) {
      return Error(Errc::invalid_argument,
                   fmt::format("cannot open {}: {}", describe(path), std::strerror(errno)));
    }
    file = owned.get();
  }
  // One byte past the limit is enough to know the input is too large; never hold more.
  const std::size_t cap = max_bytes < static_cast<std::size_t>(-1) ? max_bytes + 1 : max_bytes;
  std::string bytes;
  char chunk[64 * 1024];
  while (bytes.size() < cap) {
    const std::size_t want = std::min(sizeof chunk, cap - bytes.size());
    const std::size_t got = std::fread(chunk, 1, want, file);
    bytes.append(chunk, got);
    if (got < want) {
      if (std::ferror(file)) {
        return Error(Errc::invalid_argument,
                     fmt::format("cannot read {}: {}", describe(path), std::strerror(errno)));
      }
      break;  // end of input
    }
  }
  if (bytes.size() > max_bytes) {
    return Error(Errc::too_large,
                 fmt::format("input is larger than the limit of {} bytes", max_bytes),
                 std::string());
  }
  return bytes;
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(byte));
    } else {
      out += c;
    }
  }
  return out;
}

void print_payload_error(const chathooks::Error& error) {
  // The contract's form keeps the pointer's place even when it is empty ("error: : ...").
  print_error(error.pointer() + ": " + error.message());
}

std::string warning_line(const chathooks::DecodeWarning& warning) {
  // The contract's form keeps the pointer's place even when it is empty ("warning: : ...").
  return one_line("warning: " + warning.pointer + ": " + warning.reason);
}

void print_warnings(const std::vector<chathooks::DecodeWarning>& warnings) {
  for (const auto& warning : warnings) print_stderr_line(warning_line(warning));
}

void print_error(std::string_view reason) {
  std::string line = "error: ";
  line += one_line(reason);
  line += '\n';
  write_all(stderr, line);
  std::fflush(stderr);
}

void print_stderr_line(std::string_view line) {
  write_all(stderr, line);
  write_all(stderr, "\n");
  std::fflush(stderr);
}

bool print_stdout_line(std::string_view line) {
  const bool written = write_all(stdout, line) && write_all(stdout, "\n");
  if (std::fflush(stdout) != 0 || !written) {
    print_error(fmt::format("cannot write to standard output: {}", std::strerror(errno)));
    return false;
  }
  return true;
}

int usage_error(std::string_view reason, std::string_view usage) {
  print_error(reason);
  write_all(stderr, "\n");
  write_all(stderr, usage);
  std::fflush(stderr);
  return kExitUsage;
}

int print_help(std::string_view usage) {
  const bool written = write_all(stdout, usage);
  if (std::fflush(stdout) != 0 || !written) {
    print_error(fmt::format("cannot write to standard output: {}", std::strerror(errno)));
    return kExitFailure;
  }
  return kExitOk;
}

void print_read_error(const chathooks::Error& error) {
  if (error.code() == chathooks::Errc::too_large) {
    print_payload_error(error);
  } else {
    print_error(error.message());
  }
}

int write_stdout_line_unbuffered(std::string_view line) {
  char newline = '\n';
  iovec parts[2] = {{const_cast<char*>(line.data()), line.size()}, {&newline, 1}};
  iovec* part = parts;
  int count = 2;
  while (count > 0) {
    const ssize_t written = ::writev(STDOUT_FILENO, part, count);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    // A short write: skip what was written, then write the rest.
    auto done = static_cast<std::size_t>(written);
    while (count > 0 && done >= part->iov_len) {
      done -= part->iov_len;
      ++part;
      --count;
    }
    if (count > 0) {
      part->iov_base = static_cast<char*>(part->iov_base) + done;
      part->iov_len -= done;
    }
  }
  return 0;
}

bool stdout_line_is_atomic(std::string_view line) {
  enum class Output { pipe, whole_writes, other };
  static const Output output = [] {
    struct stat status {};
    if (::fstat(STDOUT_FILENO, &status) != 0) return Output::other;
    if (S_ISFIFO(status.st_mode)) return Output::pipe;
    if (S_ISREG(status.st_mode) || S_ISCHR(status.st_mode)) return Output::whole_writes;
    return Output::other;
  }();
  switch (output) {
    case Output::pipe:
      return line.size() < PIPE_BUF;  // the newline makes it line.size() + 1 bytes
    case Output::whole_writes:
      return true;
    case Output::other:
      break;
  }
  return false;
}

}  // namespace chathooks_cli
