// test_servers::run_program() and the accounts it runs programs as.
#include "run_program.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace test_servers {
namespace {

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// The child's side of run_program(): async-signal-safe calls only, then exec.
[[noreturn]] void exec_child(char* const* argv, const char* cwd, const RunAs& who, int in_fd,
                             int out_fd) {
  const char* failed = nullptr;
  if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0) {
    failed = "dup2";
  } else if (who.switch_user &&
             setgroups(who.groups.size(), who.groups.empty() ? nullptr : who.groups.data()) != 0) {
    failed = "setgroups";
  } else if (who.switch_user && setgid(who.gid) != 0) {
    failed = "setgid";
  } else if (who.switch_user && setuid(who.uid) != 0) {
    failed = "setuid";
  } else if (chdir(cwd) != 0) {
    failed = "chdir";
  } else {
    execve(argv[0], argv, environ);
    failed = "execve";
  }
  const char prefix[] = "run_program: child failed in ";
  ssize_t ignored = write(2, prefix, sizeof prefix - 1);
  ignored = write(2, failed, std::strlen(failed));
  ignored = write(2, "\n", 1);
  static_cast<void>(ignored);
  _exit(127);
}

}  // namespace

RunAs run_as_current() { return RunAs{}; }

RunAs run_as_user(const std::string& name) {
  struct passwd entry {};
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (getpwnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 || !found) {
    throw std::runtime_error("no user '" + name + "' on this machine");
  }
  RunAs who;
  who.switch_user = true;
  who.name = name;
  who.uid = found->pw_uid;
  who.gid = found->pw_gid;
  int count = 64;
  who.groups.resize(static_cast<std::size_t>(count));
  while (getgrouplist(name.c_str(), who.gid, who.groups.data(), &count) < 0) {
    who.groups.resize(static_cast<std::size_t>(count) * 2);
    count = static_cast<int>(who.groups.size());
  }
  who.groups.resize(static_cast<std::size_t>(count));
  return who;
}

int run_program(const std::vector<std::string>& argv, const std::string& cwd, const RunAs& who,
                const std::string& output_file) {
  if (argv.empty() || argv[0].empty() || argv[0][0] != '/') {
    throw std::runtime_error("run_program: argv[0] must be an absolute path");
  }
  // Everything the child needs is prepared before fork().
  std::vector<std::string> args = argv;
  std::vector<char*> pointers;
  for (std::string& arg : args) pointers.push_back(arg.data());
  pointers.push_back(nullptr);
  const int in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (in_fd < 0) throw std::runtime_error(errno_text("open /dev/null"));
  const int out_fd = open(output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (out_fd < 0) {
    const std::string message = errno_text("open " + output_file);
    close(in_fd);
    throw std::runtime_error(message);
  }
  const pid_t pid = fork();
  if (pid == 0) exec_child(pointers.data(), cwd.c_str(), who, in_fd, out_fd);
  const int fork_errno = errno;
  close(in_fd);
  close(out_fd);
  if (pid < 0) {
    errno = fork_errno;
    throw std::runtime_error(errno_text("fork for " + argv[0]));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error(errno_text("waitpid for " + argv[0]));
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace test_servers
