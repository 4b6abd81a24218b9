#include "server_control.hpp"

#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

#include <libpq-fe.h>

#include "run_program.hpp"

namespace fs = std::filesystem;

namespace test_postgres {
namespace {

bool is_executable(const fs::path& path) {
  std::error_code unreadable;  // e.g. a directory of $PATH this user may not enter: not there
  return fs::is_regular_file(path, unreadable) && access(path.c_str(), X_OK) == 0;
}

bool exists(const std::string& path) {
  std::error_code unreadable;
  return fs::exists(path, unreadable);
}

bool holds_server_binaries(const fs::path& dir) {
  return is_executable(dir / "initdb") && is_executable(dir / "pg_ctl") &&
         is_executable(dir / "postgres");
}

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The program's path in $PATH, or "".
std::string find_in_path(const std::string& program) {
  std::string path = env_or_empty("PATH");
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find(':', start), path.size());
    const fs::path candidate = fs::path(path.substr(start, end - start)) / program;
    if (end > start && candidate.is_absolute() && is_executable(candidate)) {
      return candidate.string();
    }
    start = end + 1;
  }
  return "";
}

// The first line `pg_config --bindir` prints, or "" when pg_config is missing or fails.
std::string pg_config_bindir() {
  const std::string pg_config = find_in_path("pg_config");
  if (pg_config.empty()) return "";
  char name[] = "/tmp/chathooks-pg-config.XXXXXX";
  const int fd = mkstemp(name);
  if (fd < 0) return "";
  close(fd);
  std::string out;
  try {
    if (run_program({pg_config, "--bindir"}, "/", run_as_current(), name) == 0) {
      out = read_file_or_empty(name);
    }
  } catch (const std::exception&) {
  }
  unlink(name);
  out = out.substr(0, out.find('\n'));
  return out;
}

// The highest /usr/lib/postgresql/<version>/bin holding the binaries, or "".
std::string debian_bindir() {
  std::error_code error;
  std::string best;
  long best_version = -1;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
    const std::string name = entry.path().filename().string();
    char* end = nullptr;
    const long version = std::strtol(name.c_str(), &end, 10);
    if (end == name.c_str() || version <= best_version) continue;
    if (holds_server_binaries(entry.path() / "bin")) {
      best_version = version;
      best = (entry.path() / "bin").string();
    }
  }
  return best;
}

std::string percent_encode(const std::string& text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    }
  }
  return out;
}

// A string literal of postgresql.conf.
std::string conf_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'' || c == '\\') out += c;
    out += c;
  }
  return out + "'";
}

// Root runs the server as `postgres` (PostgreSQL refuses root); anyone else as themselves.
RunAs server_user() { return geteuid() == 0 ? run_as_user("postgres") : run_as_current(); }

// A new empty directory for a server, owned by the user who runs it. Root's servers go under
// /tmp, which the postgres user can reach ($TMPDIR might not be); others' under $TMPDIR.
std::string make_server_dir(const RunAs& who) {
  std::string base = env_or_empty("TMPDIR");
  if (base.empty() || who.switch_user) base = "/tmp";
  std::string pattern = base + "/chathooks-pg.XXXXXX";
  // The socket DIR/.s.PGSQL.5432 must fit in sockaddr_un::sun_path.
  if (pattern.size() + std::strlen("/.s.PGSQL.5432") + 1 > sizeof(sockaddr_un{}.sun_path)) {
    pattern = "/tmp/chathooks-pg.XXXXXX";
  }
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!mkdtemp(buffer.data())) {
    throw std::runtime_error("cannot create a directory " + pattern + ": " + std::strerror(errno));
  }
  const std::string dir = buffer.data();
  if (who.switch_user && chown(dir.c_str(), who.uid, who.gid) != 0) {
    const std::string message =
        "cannot give " + dir + " to user " + who.name + ": " + std::strerror(errno);
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    throw std::runtime_error(message);
  }
  return dir;
}

void append_settings(const std::string& dir) {
  std::ofstream conf(dir + "/data/postgresql.conf", std::ios::app);
  conf << "\n# chathooks tests: unix socket only, no durability\n"
       << "listen_addresses = ''\n"
       << "unix_socket_directories = " << conf_quote(dir) << "\n"
       << "fsync = off\n"
       << "synchronous_commit = off\n"
       << "full_page_writes = off\n";
  if (!conf) throw std::runtime_error("cannot write " + dir + "/data/postgresql.conf");
}

std::string output_of(const std::string& label, const std::string& file) {
  std::string text = read_file_or_empty(file);
  if (text.empty()) text = "(empty)\n";
  return "\n--- " + label + " (" + file + ") ---\n" + text;
}

}  // namespace

std::optional<std::string> find_bindir(std::string& searched) {
  if (const char* forced = std::getenv("CHATHOOKS_TEST_PG_BINDIR"); forced && *forced) {
    searched =
        std::string("$CHATHOOKS_TEST_PG_BINDIR=") + forced + " (no initdb, pg_ctl, postgres)";
    if (holds_server_binaries(forced)) return std::string(forced);
    return std::nullopt;
  }
  const std::string from_pg_config = pg_config_bindir();
  if (!from_pg_config.empty() && holds_server_binaries(from_pg_config)) return from_pg_config;
  const std::string from_debian = debian_bindir();
  if (!from_debian.empty()) return from_debian;
  searched = "pg_config --bindir" +
             (from_pg_config.empty() ? std::string(" (no pg_config)") : " = " + from_pg_config) +
             ", /usr/lib/postgresql/*/bin; Debian: apt-get install postgresql";
  return std::nullopt;
}

bool servers_required() { return !env_or_empty("CHATHOOKS_REQUIRE_SERVERS").empty(); }

std::string make_uri(const std::string& socket_dir) {
  return "postgresql:///postgres?host=" + percent_encode(socket_dir) + "&user=postgres";
}

ServerInfo start_server(const std::string& bindir) {
  const RunAs who = server_user();
  ServerInfo server;
  server.bindir = bindir;
  server.dir = make_server_dir(who);
  server.uri = make_uri(server.dir);
  const std::string data = server.dir + "/data";
  const std::string log = server.dir + "/server.log";
  const std::string tool_log = server.dir + "/tools.log";
  try {
    const int initdb = run_program({bindir + "/initdb", "-D", data, "-A", "trust", "-U", "postgres",
                                    "-E", "UTF8", "--locale=C", "--no-sync"},
                                   server.dir, who, tool_log);
    if (initdb != 0) {
      throw std::runtime_error("initdb failed (status " + std::to_string(initdb) + ")" +
                               output_of("initdb output", tool_log));
    }
    append_settings(server.dir);
    const int started =
        run_program({bindir + "/pg_ctl", "start", "-D", data, "-l", log, "-w", "-t", "60", "-s"},
                    server.dir, who, tool_log);
    if (started != 0) {
      throw std::runtime_error("pg_ctl start failed (status " + std::to_string(started) + ")" +
                               output_of("initdb and pg_ctl output", tool_log) +
                               output_of("server log", log));
    }
    if (PQping(server.uri.c_str()) != PQPING_OK) {
      throw std::runtime_error("the server started but does not accept connections at " +
                               server.uri + output_of("server log", log));
    }
  } catch (...) {
    try {
      stop_server(server.dir, bindir);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "test_postgres: cleaning up after a failed start: %s\n", error.what());
    }
    throw;
  }
  return server;
}

void stop_server(const std::string& dir, const std::string& bindir) {
  const std::string data = dir + "/data";
  if (exists(data + "/postmaster.pid")) {
    const std::string tool_log = dir + "/tools.log";
    const int stopped =
        run_program({bindir + "/pg_ctl", "stop", "-D", data, "-m", "fast", "-w", "-t", "60", "-s"},
                    dir, server_user(), tool_log);
    // pg_ctl stop fails when no server runs (a stale postmaster.pid); pg_ctl status then
    // answers 3, and there is nothing to stop.
    if (stopped != 0 && run_program({bindir + "/pg_ctl", "status", "-D", data}, dir, server_user(),
                                    tool_log) != 3) {
      throw std::runtime_error("pg_ctl stop failed (status " + std::to_string(stopped) +
                               "); the server in " + dir + " may still run" +
                               output_of("pg_ctl output", tool_log) +
                               output_of("server log", dir + "/server.log"));
    }
  }
  std::error_code error;
  fs::remove_all(dir, error);
  if (error) throw std::runtime_error("cannot remove " + dir + ": " + error.message());
}

}  // namespace test_postgres
