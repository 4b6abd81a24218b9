// Finding, starting and stopping throwaway PostgreSQL servers (server_control.hpp).
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

#include "servers/files.hpp"
#include "servers/run_program.hpp"

namespace fs = std::filesystem;

namespace test_postgres {
namespace {

using test_servers::find_in_path;
using test_servers::is_executable;
using test_servers::quote_file;
using test_servers::read_file_or_empty;
using test_servers::run_as_current;
using test_servers::run_as_user;
using test_servers::run_program;
using test_servers::RunAs;

bool exists(const std::string& path) {
  std::error_code unreadable;
  return fs::exists(path, unreadable);
}

bool holds_server_binaries(const fs::path& dir) {
  return is_executable(dir / "initdb") && is_executable(dir / "pg_ctl") &&
         is_executable(dir / "postgres");
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
  const std::string dir =
      test_servers::make_temp_dir("chathooks-pg", ".s.PGSQL.5432", !who.switch_user);
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
                               quote_file("initdb output", tool_log));
    }
    append_settings(server.dir);
    const int started =
        run_program({bindir + "/pg_ctl", "start", "-D", data, "-l", log, "-w", "-t", "60", "-s"},
                    server.dir, who, tool_log);
    if (started != 0) {
      throw std::runtime_error("pg_ctl start failed (status " + std::to_string(started) + ")" +
                               quote_file("initdb and pg_ctl output", tool_log) +
                               quote_file("server log", log));
    }
    if (PQping(server.uri.c_str()) != PQPING_OK) {
      throw std::runtime_error("the server started but does not accept connections at " +
                               server.uri + quote_file("server log", log));
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
                               quote_file("pg_ctl output", tool_log) +
                               quote_file("server log", dir + "/server.log"));
    }
  }
  std::error_code error;
  fs::remove_all(dir, error);
  if (error) throw std::runtime_error("cannot remove " + dir + ": " + error.message());
}

const test_servers::ServerKind server_kind = {
    "PostgreSQL", "test_postgres",
    find_bindir,  start_server,
    stop_server,  [](const std::string& uri) { return PQping(uri.c_str()) == PQPING_OK; },
};

}  // namespace test_postgres
