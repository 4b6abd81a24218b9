// test_redis' process and port helpers (redis_process.hpp).
#include "redis_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "servers/files.hpp"

namespace test_redis {

int free_tcp_port() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                     getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  const int saved_errno = errno;
  close(fd);
  if (!bound) {
    throw std::runtime_error(std::string("cannot find a free port on 127.0.0.1: ") +
                             std::strerror(saved_errno));
  }
  return ntohs(address.sin_port);
}

std::optional<pid_t> read_pidfile(const std::string& pidfile) {
  const std::string text = test_servers::read_file_or_empty(pidfile);
  char* end = nullptr;
  const long pid = std::strtol(text.c_str(), &end, 10);
  if (end == text.c_str() || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

bool is_live_redis_server(pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  // /proc/PID/stat: "PID (COMM) STATE ..."; a zombie (Z) or dead (X) process is gone.
  const std::string stat = test_servers::read_file_or_empty(proc + "/stat");
  const std::size_t paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) return false;
  const char state = stat[paren + 2];
  if (state == 'Z' || state == 'X') return false;
  return test_servers::read_file_or_empty(proc + "/cmdline").find("redis-server") !=
         std::string::npos;
}

bool wait_until_gone(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (is_live_redis_server(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace test_redis
