// Child processes for the CLI tests (POSIX: pipe2, posix_spawn, poll).
#include "subprocess.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace chathooks_test {
namespace {

[[noreturn]] void fail(const char* what, int error) {
  throw std::runtime_error(std::string("run_process: ") + what + ": " + std::strerror(error));
}

// A file descriptor closed on scope exit.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

void make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  // Close-on-exec, so that the child holds only the ends dup2'ed onto 0, 1 and 2: a stray
  // write end in the child would keep our reads from ever seeing end-of-file.
  if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe2", errno);
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
}

// Blocks SIGPIPE in this thread while it writes to the child, so that a child that exits
// without reading its stdin gives EPIPE instead of killing the test; restores the mask after,
// discarding a SIGPIPE that became pending meanwhile.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_set_);
    sigaddset(&pipe_set_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_set_, &old_mask_);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;
  ~SigpipeBlock() {
    if (!was_pending_) {
      const timespec zero{0, 0};
      while (sigtimedwait(&pipe_set_, nullptr, &zero) == SIGPIPE) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
  }

 private:
  sigset_t pipe_set_;
  sigset_t old_mask_;
  bool was_pending_ = false;
};

// Reads what is available from `fd` into `out`; resets `fd` at end of input.
void drain(Fd& fd, std::string& out) {
  char buffer[64 * 1024];
  const ssize_t got = ::read(fd.get(), buffer, sizeof buffer);
  if (got > 0) {
    out.append(buffer, static_cast<std::size_t>(got));
  } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
    fd.reset();
  }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input,
                          std::chrono::milliseconds timeout) {
  if (argv.empty()) throw std::runtime_error("run_process: empty argv");
  const SigpipeBlock sigpipe_block;
  Fd in_read, in_write, out_read, out_write, err_read, err_write;
  make_pipe(in_read, in_write);
  make_pipe(out_read, out_write);
  make_pipe(err_read, err_write);
  if (::fcntl(in_write.get(), F_SETFL, O_NONBLOCK) != 0) fail("fcntl", errno);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &pipe_only);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (spawned != 0) fail("posix_spawn", spawned);
  in_read.reset();
  out_write.reset();
  err_write.reset();

  ProcessResult result;
  std::size_t written = 0;
  if (input.empty()) in_write.reset();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out_read.get() >= 0 || err_read.get() >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd fds[3] = {
        {out_read.get(), POLLIN, 0}, {err_read.get(), POLLIN, 0}, {in_write.get(), POLLOUT, 0}};
    const int ready = ::poll(fds, 3, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (ready < 0) {
      if (errno == EINTR) continue;
      fail("poll", errno);
    }
    if (fds[0].revents != 0) drain(out_read, result.out);
    if (fds[1].revents != 0) drain(err_read, result.err);
    if (fds[2].revents != 0) {
      const ssize_t sent = ::write(in_write.get(), input.data() + written, input.size() - written);
      if (sent > 0) {
        written += static_cast<std::size_t>(sent);
        if (written == input.size()) in_write.reset();
      } else if (sent < 0 && errno != EAGAIN && errno != EINTR) {
        in_write.reset();  // EPIPE: the child stopped reading; what it did is what we test
      }
    }
  }
  in_write.reset();

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail("waitpid", errno);
  }
  if (WIFEXITED(status)) {
    result.exited = true;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

std::string describe(const ProcessResult& result) {
  std::string out;
  if (result.timed_out) out += "timed out; ";
  if (result.exited) {
    out += "exit " + std::to_string(result.exit_code);
  } else {
    out += "killed by signal " + std::to_string(result.signal);
  }
  auto excerpt = [](const std::string& text) {
    return text.size() <= 2000 ? text : text.substr(0, 2000) + "...";
  };
  out += "\nstdout: " + excerpt(result.out) + "\nstderr: " + excerpt(result.err);
  return out;
}

}  // namespace chathooks_test
