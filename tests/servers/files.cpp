// test_servers' file helpers (files.hpp).
#include "files.hpp"

#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace fs = std::filesystem;

namespace test_servers {

std::string read_file_or_empty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string quote_file(const std::string& label, const std::string& file) {
  std::string text = read_file_or_empty(file);
  if (text.empty()) text = "(empty)\n";
  return "\n--- " + label + " (" + file + ") ---\n" + text;
}

std::string make_temp_dir(const std::string& name, const std::string& socket_file,
                          bool use_tmpdir) {
  const char* tmpdir = std::getenv("TMPDIR");
  const std::string base = use_tmpdir && tmpdir && *tmpdir ? tmpdir : "/tmp";
  std::string pattern = base + "/" + name + ".XXXXXX";
  // The socket DIR/<socket_file> must fit in sockaddr_un::sun_path.
  if (pattern.size() + 1 + socket_file.size() + 1 > sizeof(sockaddr_un{}.sun_path)) {
    pattern = "/tmp/" + name + ".XXXXXX";
  }
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!mkdtemp(buffer.data())) {
    throw std::runtime_error("cannot create a directory " + pattern + ": " + std::strerror(errno));
  }
  return buffer.data();
}

bool is_executable(const std::string& path) {
  std::error_code unreadable;  // e.g. a directory of $PATH this user may not enter: not there
  return fs::is_regular_file(path, unreadable) && access(path.c_str(), X_OK) == 0;
}

std::string find_in_path(const std::string& program) {
  const char* variable = std::getenv("PATH");
  const std::string path = variable ? variable : "";
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find(':', start), path.size());
    const fs::path candidate = fs::path(path.substr(start, end - start)) / program;
    if (end > start && candidate.is_absolute() && is_executable(candidate.string())) {
      return candidate.string();
    }
    start = end + 1;
  }
  return "";
}

}  // namespace test_servers
