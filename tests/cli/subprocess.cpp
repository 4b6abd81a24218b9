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
#include <thread>

extern char** environ;

namespace chathooks_test {
namespace {

[[noreturn]] void fail(const char* what, int error) {
  throw std::runtime_error(std::string("subprocess: ") + what + ": " + std::strerror(error));
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

void make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  // Close-on-exec, so that the child holds only the ends dup2'ed onto 0, 1 and 2: a stray
  // write end in the child would keep our reads from ever seeing end-of-file.
  if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe2", errno);
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
}

// The parent's ends of a child's standard streams; each is reset once finished with.
struct ChildPipes {
  Fd in;   // writes to the child's stdin (non-blocking)
  Fd out;  // reads its stdout
  Fd err;  // reads its stderr
};

// Starts `argv` with pipes on its descriptors 0, 1 and 2, no signal blocked and the default
// action for SIGPIPE, SIGINT and SIGTERM (a test run from a shell without job control inherits
// SIGINT ignored, and must still be able to stop a server child with it).
pid_t spawn_with_pipes(const std::vector<std::string>& argv, ChildPipes& pipes) {
  if (argv.empty()) fail("argv", EINVAL);
  Fd in_read, out_write, err_write;
  make_pipe(in_read, pipes.in);
  make_pipe(pipes.out, out_write);
  make_pipe(pipes.err, err_write);
  if (::fcntl(pipes.in.get(), F_SETFL, O_NONBLOCK) != 0) fail("fcntl", errno);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (spawned != 0) fail("posix_spawn", spawned);
  return pid;
}

// One poll round over the pipes, waiting at most `wait_ms`: appends what the child wrote to
// `out` and `err`, and writes the next part of `input` (from `written` on) when stdin can take
// it, closing stdin after the last byte. False when nothing was ready.
bool pump(ChildPipes& pipes, std::string_view input, std::size_t& written, std::string& out,
          std::string& err, int wait_ms) {
  pollfd fds[3] = {
      {pipes.out.get(), POLLIN, 0}, {pipes.err.get(), POLLIN, 0}, {pipes.in.get(), POLLOUT, 0}};
  const int ready = ::poll(fds, 3, wait_ms);
  if (ready < 0) {
    if (errno == EINTR) return true;
    fail("poll", errno);
  }
  if (fds[0].revents != 0) drain(pipes.out, out);
  if (fds[1].revents != 0) drain(pipes.err, err);
  if (fds[2].revents != 0) {
    const ssize_t sent = ::write(pipes.in.get(), input.data() + written, input.size() - written);
    if (sent > 0) {
      written += static_cast<std::size_t>(sent);
      if (written == input.size()) pipes.in.reset();
    } else if (sent < 0 && errno != EAGAIN && errno != EINTR) {
      pipes.in.reset();  // EPIPE: the child stopped reading; what it did is what we test
    }
  }
  return ready > 0;
}

// Records in `result` how the child ended, from its waitpid status.
void record_status(int status, ProcessResult& result) {
  if (WIFEXITED(status)) {
    result.exited = true;
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
}

// Waits for `pid` to end and records how; `block` false returns false at once if it has not.
bool reap(pid_t pid, ProcessResult& result, bool block) {
  int status = 0;
  for (;;) {
    const pid_t got = ::waitpid(pid, &status, block ? 0 : WNOHANG);
    if (got == pid) break;
    if (got == 0) return false;
    if (errno != EINTR) fail("waitpid", errno);
  }
  record_status(status, result);
  return true;
}

int wait_ms_until(std::chrono::steady_clock::time_point deadline, int at_most) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<long long>(0, std::min<long long>(left.count(), at_most)));
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, std::string_view input,
                          std::chrono::milliseconds timeout) {
  if (argv.empty()) throw std::runtime_error("run_process: empty argv");
  const SigpipeBlock sigpipe_block;
  ChildPipes pipes;
  const pid_t pid = spawn_with_pipes(argv, pipes);

  ProcessResult result;
  std::size_t written = 0;
  if (input.empty()) pipes.in.reset();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (pipes.out.get() >= 0 || pipes.err.get() >= 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    pump(pipes, input, written, result.out, result.err, wait_ms_until(deadline, 1000));
  }
  pipes.in.reset();
  reap(pid, result, true);
  return result;
}

struct BackgroundProcess::State {
  pid_t pid = -1;
  bool reaped = false;
  ChildPipes pipes;
  ProcessResult result;  // out and err fill up as output is collected
};

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv)
    : state_(std::make_unique<State>()) {
  state_->pid = spawn_with_pipes(argv, state_->pipes);
  state_->pipes.in.reset();  // nothing to say: the child reads end of file
}

BackgroundProcess::~BackgroundProcess() {
  if (state_->reaped) return;
  ::kill(state_->pid, SIGKILL);
  int status = 0;
  while (::waitpid(state_->pid, &status, 0) < 0 && errno == EINTR) {
  }
}

std::optional<std::string> BackgroundProcess::wait_for_err_line(const std::regex& line,
                                                                std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t written = 0;
  for (;;) {
    const std::string& err = state_->result.err;
    for (std::size_t start = 0, end; (end = err.find('\n', start)) != std::string::npos;
         start = end + 1) {
      std::string candidate = err.substr(start, end - start);
      if (std::regex_match(candidate, line)) return candidate;
    }
    if (state_->pipes.err.get() < 0 || std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    pump(state_->pipes, {}, written, state_->result.out, state_->result.err,
         wait_ms_until(deadline, 1000));
  }
}

void BackgroundProcess::read_available() {
  std::size_t written = 0;
  while ((state_->pipes.out.get() >= 0 || state_->pipes.err.get() >= 0) &&
         pump(state_->pipes, {}, written, state_->result.out, state_->result.err, 0)) {
  }
}

const std::string& BackgroundProcess::out() const { return state_->result.out; }
const std::string& BackgroundProcess::err() const { return state_->result.err; }

void BackgroundProcess::send_signal(int signal) {
  // Not yet reaped, so the pid is still this child's (a zombie at worst), never a reused one.
  if (!state_->reaped) ::kill(state_->pid, signal);
}

ProcessResult BackgroundProcess::wait(std::chrono::milliseconds timeout) {
  if (state_->reaped) throw std::runtime_error("BackgroundProcess::wait: called twice");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t written = 0;
  ProcessResult& result = state_->result;
  while ((state_->pipes.out.get() >= 0 || state_->pipes.err.get() >= 0) &&
         std::chrono::steady_clock::now() < deadline) {
    pump(state_->pipes, {}, written, result.out, result.err, wait_ms_until(deadline, 1000));
  }
  // Both pipes closed: the child is exiting (or closed them and goes on, until the deadline).
  while (!reap(state_->pid, result, false)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      ::kill(state_->pid, SIGKILL);
      reap(state_->pid, result, true);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  state_->reaped = true;
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
