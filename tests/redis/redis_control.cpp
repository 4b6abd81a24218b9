// Finding, starting and stopping throwaway Redis servers (redis_control.hpp).
#include "redis_control.hpp"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <thread>

#include "redis_process.hpp"
#include "redis_server.hpp"
#include "servers/files.hpp"
#include "servers/run_program.hpp"

namespace fs = std::filesystem;

namespace test_redis {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int start_attempts = 5;
constexpr std::chrono::seconds ready_timeout{10};
constexpr std::chrono::seconds stop_timeout{10};

// The last `count` bytes of the server's log, for an error message.
std::string log_tail(const std::string& dir) {
  const std::string log = dir + "/redis.log";
  std::string text = test_servers::quote_file("server log", log);
  constexpr std::size_t count = 4000;
  if (text.size() > count) text = "\n...(log cut)..." + text.substr(text.size() - count);
  return text;
}

enum class Readiness { ready, port_taken };

// Polls until the server in `dir` answers PING on its socket and at `uri`.
Readiness wait_until_ready(const std::string& dir, const std::string& uri) {
  const Clock::time_point deadline = Clock::now() + ready_timeout;
  const std::string socket = socket_path(dir);
  while (!(answers(socket) && answers(uri))) {
    if (test_servers::read_file_or_empty(dir + "/redis.log").find("Address already in use") !=
        std::string::npos) {
      return Readiness::port_taken;
    }
    if (Clock::now() >= deadline) {
      throw std::runtime_error("redis-server in " + dir + " did not answer PING at " + uri +
                               " and " + socket + " within 10 s" + log_tail(dir));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Readiness::ready;
}

// Launches redis-server (it daemonizes) in `dir` at `port`; throws when it fails at once.
void launch(const std::string& bindir, const std::string& dir, int port) {
  const std::string launch_log = dir + "/launch.log";
  const int status = test_servers::run_program({bindir + "/redis-server",
                                                "--port",
                                                std::to_string(port),
                                                "--bind",
                                                "127.0.0.1",
                                                "--unixsocket",
                                                socket_path(dir),
                                                "--unixsocketperm",
                                                "700",
                                                "--dir",
                                                dir,
                                                "--save",
                                                "",
                                                "--appendonly",
                                                "no",
                                                "--daemonize",
                                                "yes",
                                                "--pidfile",
                                                dir + "/redis.pid",
                                                "--logfile",
                                                dir + "/redis.log",
                                                "--protected-mode",
                                                "no",
                                                "--enable-debug-command",
                                                "local"},
                                               dir, test_servers::run_as_current(), launch_log);
  if (status != 0) {
    throw std::runtime_error("redis-server failed (status " + std::to_string(status) + ")" +
                             test_servers::quote_file("its output", launch_log) + log_tail(dir));
  }
}

void stop_server(const std::string& dir, const std::string& bindir);

// Stops the server in `dir` after a failed start; a failure to is reported, not thrown.
void clean_up(const std::string& dir, const std::string& bindir) {
  try {
    stop_server(dir, bindir);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "test_redis: cleaning up after a failed start: %s\n", error.what());
  }
}

std::optional<std::string> find_bindir(std::string& searched) {
  if (const char* forced = std::getenv("CHATHOOKS_TEST_REDIS_BINDIR"); forced && *forced) {
    searched = std::string("$CHATHOOKS_TEST_REDIS_BINDIR=") + forced + " (no redis-server)";
    if (test_servers::is_executable(std::string(forced) + "/redis-server")) {
      return std::string(forced);
    }
    return std::nullopt;
  }
  const std::string in_path = test_servers::find_in_path("redis-server");
  if (!in_path.empty()) return fs::path(in_path).parent_path().string();
  for (const char* dir : {"/usr/bin", "/usr/sbin"}) {
    if (test_servers::is_executable(std::string(dir) + "/redis-server")) return std::string(dir);
  }
  searched = "$PATH, /usr/bin, /usr/sbin; Debian: apt-get install redis-server";
  return std::nullopt;
}

ServerInfo start_server(const std::string& bindir) {
  for (int attempt = 1;; ++attempt) {
    ServerInfo server;
    server.bindir = bindir;
    server.dir = test_servers::make_temp_dir("chathooks-redis", "redis.sock", true);
    try {
      const int port = free_tcp_port();
      server.uri = "redis://127.0.0.1:" + std::to_string(port);
      launch(bindir, server.dir, port);
      if (wait_until_ready(server.dir, server.uri) == Readiness::ready) return server;
      if (attempt == start_attempts) {
        throw std::runtime_error("redis-server found its port taken " +
                                 std::to_string(start_attempts) + " times" + log_tail(server.dir));
      }
    } catch (...) {
      clean_up(server.dir, bindir);
      throw;
    }
    clean_up(server.dir, bindir);  // the port was taken meanwhile: try another
  }
}

void stop_server(const std::string& dir, const std::string& /*bindir*/) {
  std::error_code error;
  if (fs::exists(socket_path(dir), error)) {
    try {
      command(socket_path(dir), {"SHUTDOWN", "NOSAVE"});
    } catch (const std::exception&) {
      // The server closes the connection as it exits (no reply), or runs no more.
    }
  }
  const std::optional<pid_t> pid = read_pidfile(dir + "/redis.pid");
  if (pid && is_live_redis_server(*pid)) {
    if (!wait_until_gone(*pid, stop_timeout)) {
      kill(*pid, SIGKILL);
      if (!wait_until_gone(*pid, stop_timeout)) {
        throw std::runtime_error("redis-server (pid " + std::to_string(*pid) + ") in " + dir +
                                 " does not exit" + log_tail(dir));
      }
    }
  }
  fs::remove_all(dir, error);
  if (error) throw std::runtime_error("cannot remove " + dir + ": " + error.message());
}

}  // namespace

std::string socket_path(const std::string& dir) { return dir + "/redis.sock"; }

bool answers(const std::string& target) {
  try {
    return command(target, {"PING"}) == "PONG";
  } catch (const std::exception&) {
    return false;
  }
}

const test_servers::ServerKind server_kind = {
    "Redis", "test_redis", find_bindir, start_server, stop_server, answers,
};

}  // namespace test_redis
