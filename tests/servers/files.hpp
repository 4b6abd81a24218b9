// File helpers of the test servers' support: reading and writing small text files, a log's
// text for an error message, temporary server directories, and finding programs. Thread-safe
// (calls share nothing).
#pragma once

#include <string>

namespace test_servers {

// The contents of a file, "" if it cannot be read (for error messages).
std::string read_file_or_empty(const std::string& path);

// Writes `text` to `path` (replacing it); throws std::runtime_error on failure.
void write_file(const std::string& path, const std::string& text);

// "\n--- <label> (<file>) ---\n<the file's text, or (empty)>": a log quoted in an error message.
std::string quote_file(const std::string& label, const std::string& file);

// A new empty directory <base>/<name>.XXXXXX (mode 0700), base $TMPDIR when `use_tmpdir` and
// it is set, else /tmp; /tmp too when DIR/<socket_file> would not fit in a unix socket address.
// Throws std::runtime_error.
std::string make_temp_dir(const std::string& name, const std::string& socket_file, bool use_tmpdir);

// True when `path` is a regular file this process may execute.
bool is_executable(const std::string& path);

// The program's path in $PATH, or "".
std::string find_in_path(const std::string& program);

}  // namespace test_servers
